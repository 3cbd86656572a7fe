// The public API (/v1/...), called with the API key this browser keeps.
import { state } from './state.js';

const KEY_STORE = 'radar.apiKey';
let apiKey = localStorage.getItem(KEY_STORE) ?? '';

export const hasKey = () => apiKey !== '';

/** Keeps `key` (in this browser's storage only) for every request from now on; '' forgets it. */
export function setKey(key) {
  apiKey = key;
  if (key) localStorage.setItem(KEY_STORE, key);
  else localStorage.removeItem(KEY_STORE);
}

export const authorization = () => ({ authorization: `Bearer ${apiKey}` });

/** The API refused the key (401) or its role (403, `forbidden`): the page asks for another. */
export class KeyError extends Error {
  constructor(message, forbidden = false) {
    super(message);
    this.forbidden = forbidden;
  }
}

export async function api(path, params = {}) {
  const q = new URLSearchParams({ lang: state.lang });
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const res = await fetch(`${path}?${q}`, { headers: { accept: 'application/json', ...authorization() } });
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 || res.status === 403) throw new KeyError(body.message ?? `${res.status}`, res.status === 403);
  if (!res.ok) throw new Error(body.message ?? `${res.status}`);
  return body;
}

/**
 * Sends `body` as JSON with `method` and the query `params`; the answer's body, or an ApiError with the status,
 * the message and the field at fault.
 */
export async function send(method, path, body, params = {}) {
  const q = new URLSearchParams(params);
  const res = await fetch(`${path}${q.size ? `?${q}` : ''}`, {
    method,
    headers: { accept: 'application/json', ...(body && { 'content-type': 'application/json' }), ...authorization() },
    ...(body && { body: JSON.stringify(body) }),
  });
  const answer = res.status === 204 ? {} : await res.json().catch(() => ({}));
  if (res.status === 401) throw new KeyError(answer.message ?? '401');
  if (!res.ok) throw new ApiError(res.status, answer.message ?? `${res.status}`, answer.field);
  return answer;
}

/** A refusal of the API other than of the key: its status, its message and the field it names. */
export class ApiError extends Error {
  constructor(status, message, field) {
    super(field ? `${message} (${field})` : message);
    this.status = status;
    this.field = field;
  }
}

/** Every region with its names in the page's language: asked once per language, shared by the region menu and the regions view. */
const regionLists = new Map();
export const regionList = () => {
  if (!regionLists.has(state.lang)) {
    // the areas, and the municipalities after them
    const list = Promise.all([api('/v1/regions'), api('/v1/regions', { level: 'municipality' })]).then(
      ([areas, municipalities]) => ({ regions: [...areas.regions, ...municipalities.regions] }),
    );
    regionLists.set(state.lang, list);
    list.catch(() => regionLists.delete(state.lang)); // a failed answer is asked again next time
  }
  return regionLists.get(state.lang);
};

export const nameOf = (list, code) => list.regions.find((r) => r.code === code)?.name ?? code;
