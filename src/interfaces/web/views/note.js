// Writing a note: the form, a live preview of its analysis marked in the text, and corrections made on the preview
// (remove a concept, add a missing one from the taxonomy, change a horizon or need/surplus) that are saved with it.
import { api, ApiError, send } from '../api.js';
import { el, panel } from '../dom.js';
import { fmt, HORIZONS, state, t } from '../state.js';

const POLARITIES = ['need', 'surplus', 'mention'];
const PREVIEW_DELAY_MS = 300;

/** The note being written, kept while the page is open: its fields, its corrections and the latest preview. */
const draft = {
  fields: {
    kind: 'meeting_note',
    date: new Date().toISOString().slice(0, 10),
    language: '',
    employer: '',
    businessId: '',
    region: '',
    sector: '',
    visibility: 'private',
    text: '',
  },
  /** the corrections made, those stored with a saved note carrying their `id` */
  corrections: [],
  preview: undefined,
  /** what the preview was made of: the text and the corrections sent */
  previewed: undefined,
  /** the saved note being corrected, and the ids of its stored corrections */
  documentId: undefined,
  storedIds: [],
  /** what the last save said, shown again when the view is drawn anew */
  said: undefined,
};

/** A correction as the API takes it: without what storing it added. */
const plain = ({ action, concept, uri, start, end, horizon, polarity, weight }) => ({
  action,
  concept,
  uri,
  start,
  end,
  ...(horizon && { horizon }),
  ...(polarity && { polarity }),
  ...(weight !== undefined && { weight }),
});

/** The view's own re-render (app.js), after a note is opened or a new one begun. */
let rerenderView = () => undefined;

let previewRun = 0;
let timer;

/** The note's text as the analysis reads it: its offsets are into this. */
const textOf = () => draft.fields.text.normalize('NFC');

/** What the analysis reads of the note besides its text (empty fields left out). */
function metadata() {
  const f = draft.fields;
  return {
    kind: f.kind,
    ...(f.date && { date: f.date }),
    ...(f.language && { language: f.language }),
    ...(f.region.trim() && { region: f.region.trim() }),
  };
}

/** The employer the note is about, as a document stores it: undefined when no field is filled. */
function employer() {
  const f = draft.fields;
  const e = {
    ...(f.employer.trim() && { name: f.employer.trim() }),
    ...(f.businessId.trim() && { businessId: f.businessId.trim() }),
    ...(f.sector.trim() && { sector: f.sector.trim() }),
  };
  return Object.keys(e).length > 0 ? e : undefined;
}

/**
 * Keeps the corrections on their words while the text is edited: those after the edit move with it, those on the
 * words edited are dropped.
 */
function shiftCorrections(before, after) {
  let head = 0;
  while (head < before.length && head < after.length && before[head] === after[head]) head++;
  let tail = 0;
  while (
    tail < before.length - head &&
    tail < after.length - head &&
    before[before.length - 1 - tail] === after[after.length - 1 - tail]
  )
    tail++;
  const editEnd = before.length - tail;
  const delta = after.length - before.length;
  draft.corrections = draft.corrections.flatMap((c) => {
    if (c.start === 0 && c.end === 0) return [c];
    if (c.end <= head) return [c];
    if (c.start >= editEnd) return [{ ...c, start: c.start + delta, end: c.end + delta }];
    return [];
  });
}

/** The analysis of the note with its corrections, shown when it is still the latest asked for. */
async function preview() {
  const run = ++previewRun;
  const text = textOf();
  const status = document.getElementById('preview-status');
  if (!text.trim()) {
    draft.preview = undefined;
    draft.previewed = undefined;
    showPreview();
    return;
  }
  status.textContent = t('analysing');
  const meta = metadata();
  const started = performance.now();
  try {
    const answer = await send(
      'POST',
      '/v1/analyze',
      { text, ...meta, ...(draft.corrections.length > 0 && { corrections: draft.corrections.map(plain) }) },
      { minScore: 0, language: state.lang },
    );
    if (run !== previewRun) return;
    draft.preview = answer;
    draft.previewed = { text, corrections: [...draft.corrections] };
    status.textContent = '';
    document.body.dataset.previewMs = String(Math.round(performance.now() - started));
  } catch (err) {
    if (run !== previewRun) return;
    status.className = 'error';
    status.textContent = `${t('error')}: ${err.message}`;
    return;
  }
  status.className = '';
  showPreview();
}

function schedulePreview() {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void preview(), PREVIEW_DELAY_MS);
}

/** Every mark of the preview: skills, occupations, places and the words of time and need. */
function marksOf(a) {
  const labels = new Map(a.skills.map((s) => [s.uri, s.label]));
  const marks = [];
  for (const m of a.mentions ?? [])
    marks.push({ ...m, type: 'skill', concept: 'skill', label: labels.get(m.uri) ?? m.uri });
  for (const m of a.occupationMentions ?? [])
    if (m.end > m.start) marks.push({ ...m, type: 'occupation', concept: 'occupation', label: m.label ?? m.uri });
  for (const p of a.places ?? [])
    if (p.source === 'text' && p.end > p.start) marks.push({ ...p, type: 'place', label: p.code });
  for (const c of a.cues ?? []) {
    if (c.horizon) marks.push({ ...c, type: 'time', label: t(`h_${c.horizon}`) });
    if (c.polarity === 'need' || c.polarity === 'surplus')
      marks.push({ ...c, type: c.polarity, label: t(`p_${c.polarity}`) });
  }
  return marks;
}

/** The text with each found thing marked: a segment per stretch of the same marks, its title naming them. */
function markedText(text, marks) {
  const cuts = new Set([0, text.length]);
  for (const m of marks) cuts.add(m.start).add(m.end);
  const points = [...cuts].filter((c) => c >= 0 && c <= text.length).sort((x, y) => x - y);
  const out = el('div', { id: 'preview-text', class: 'preview-text', lang: draft.preview?.language ?? '' });
  for (let i = 0; i < points.length - 1; i++) {
    const [from, to] = [points[i], points[i + 1]];
    const words = text.slice(from, to);
    const over = marks.filter((m) => m.start <= from && to <= m.end);
    if (over.length === 0) {
      out.append(words);
      continue;
    }
    const title = over
      .map((m) => `${t(`mk_${m.type}`)}: ${m.label}${m.score !== undefined ? ` (${fmt.pct(m.score)})` : ''}`)
      .join('\n');
    const verified = over.some((m) => m.verified);
    out.append(
      el(
        'mark',
        {
          class: over.map((m) => `mk-${m.type}`).join(' ') + (verified ? ' verified' : ''),
          title,
          'data-marks': over.map((m) => m.type).join(' '),
        },
        words,
      ),
    );
  }
  return out;
}

/** Adds a correction (one per mention and action: a later change replaces the earlier) and previews again. */
function correct(correction) {
  const same = (c) =>
    c.concept === correction.concept &&
    c.uri === correction.uri &&
    c.start === correction.start &&
    c.end === correction.end;
  const earlier = draft.corrections.find((c) => same(c) && c.action !== 'remove');
  // a stored correction is not edited in place: it is withdrawn and a new one made when the note is saved
  const merged =
    correction.action === 'change' && earlier
      ? { ...plain(earlier), ...correction, action: earlier.action }
      : correction;
  draft.corrections = draft.corrections.filter((c) => !same(c));
  draft.corrections.push(merged);
  void preview();
}

/** The table of what the preview found, each with its probability and the means to correct it. */
function foundTable(text, a) {
  const marks = marksOf(a).filter((m) => m.concept);
  if (marks.length === 0) return el('p', {}, t('nothingFound'));
  const select = (values, value, prefix, onchange) => {
    const s = el('select', { onchange: (e) => onchange(e.target.value) });
    for (const v of values) s.append(el('option', { value: v }, t(`${prefix}${v}`)));
    s.value = value;
    return s;
  };
  const rows = marks
    .sort((x, y) => x.start - y.start)
    .map((m) => {
      const at = { concept: m.concept, uri: m.uri, start: m.start, end: m.end };
      return el(
        'tr',
        { 'data-uri': m.uri, 'data-concept': m.concept, class: m.counted ? '' : 'candidate' },
        el('td', {}, t(`mk_${m.type}`)),
        el('td', {}, text.slice(m.start, m.end)),
        el('td', {}, m.label, m.verified ? el('span', { class: 'verified-tag', title: t('verified') }, ' ✓') : null),
        el('td', { class: 'num' }, fmt.pct(m.score)),
        el(
          'td',
          {},
          select(HORIZONS, m.horizon, 'h_', (horizon) => correct({ action: 'change', ...at, horizon })),
        ),
        el(
          'td',
          {},
          select(POLARITIES, m.polarity, 'p_', (polarity) => correct({ action: 'change', ...at, polarity })),
        ),
        el(
          'td',
          {},
          el(
            'button',
            {
              type: 'button',
              class: 'remove',
              title: t('removeConcept'),
              onclick: () => correct({ action: 'remove', ...at }),
            },
            '×',
          ),
        ),
      );
    });
  return el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { 'data-table': 'found' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['colType', 'colWords', 'colConcept', 'colProbability', 'horizon', 'colPolarity', 'colRemove'].map((k) =>
            el('th', { scope: 'col' }, t(k)),
          ),
        ),
      ),
      el('tbody', {}, ...rows),
    ),
  );
}

/** Adding a concept the analysis missed: the words selected in the text, and a search of the taxonomy. */
function addForm() {
  const box = el('div', { class: 'add-concept', id: 'add-concept' });
  const area = document.getElementById('note-text');
  const words = el('p', { class: 'hint', id: 'add-words' }, t('selectWords'));
  const type = el('select', { id: 'add-type' }, el('option', { value: 'skill' }, t('mk_skill')));
  type.append(el('option', { value: 'occupation' }, t('mk_occupation')));
  const query = el('input', { id: 'add-search', type: 'search', placeholder: t('searchConcept'), size: 30 });
  const results = el('ul', { id: 'add-results', class: 'results' });
  let span;
  const pick = () => {
    const [start, end] = [area.selectionStart, area.selectionEnd];
    if (end <= start) return;
    // offsets of the NFC text, as the analysis reads it
    const nfcStart = area.value.slice(0, start).normalize('NFC').length;
    const chosen = area.value.slice(start, end).normalize('NFC');
    span = { start: nfcStart, end: nfcStart + chosen.length };
    words.textContent = `${t('selectedWords')}: “${chosen}”`;
    if (!query.value) query.value = chosen;
    void search();
  };
  // answers can arrive out of order: only the latest search may fill the list
  let latest = 0;
  const search = async () => {
    const asked = ++latest;
    const text = query.value.trim();
    if (!text) return results.replaceChildren();
    const path = type.value === 'skill' ? '/v1/skills' : '/v1/occupations';
    const found = await send('GET', path, undefined, { text, limit: 8, language: state.lang }).catch(() => ({
      items: [],
    }));
    if (asked !== latest) return;
    results.replaceChildren(
      ...found.items.map((c) =>
        el(
          'li',
          {},
          el(
            'button',
            {
              type: 'button',
              'data-uri': c.uri,
              onclick: () => {
                if (!span) {
                  words.textContent = t('selectWords');
                  return;
                }
                correct({ action: 'add', concept: type.value, uri: c.uri, ...span });
              },
            },
            c.label,
          ),
        ),
      ),
    );
  };
  area.addEventListener('select', pick);
  area.addEventListener('mouseup', pick);
  area.addEventListener('keyup', pick);
  query.addEventListener('input', () => void search());
  type.addEventListener('change', () => void search());
  box.append(el('h3', {}, t('addConcept')), words, el('div', { class: 'row' }, type, query), results);
  return box;
}

/** The corrections made so far, each with a button taking it back. */
function correctionList() {
  if (draft.corrections.length === 0) return el('p', { class: 'hint' }, t('noCorrections'));
  const applied = draft.preview?.corrections ?? [];
  const text = textOf();
  return el(
    'ul',
    { id: 'corrections', class: 'corrections' },
    ...draft.corrections.map((c, i) =>
      el(
        'li',
        { 'data-action': c.action, class: applied[i]?.applied === false ? 'not-applied' : '' },
        `${t(`ca_${c.action}`)} · ${t(`mk_${c.concept}`)} · “${text.slice(c.start, c.end)}”`,
        c.horizon ? ` · ${t(`h_${c.horizon}`)}` : '',
        c.polarity ? ` · ${t(`p_${c.polarity}`)}` : '',
        ' ',
        el(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              draft.corrections.splice(i, 1);
              void preview();
            },
          },
          t('undo'),
        ),
      ),
    ),
  );
}

function showPreview() {
  const box = document.getElementById('note-preview-body');
  if (!box) return;
  const a = draft.preview;
  if (!a || !draft.previewed) {
    box.replaceChildren(el('p', { class: 'hint' }, t('previewHint')));
    return;
  }
  const text = draft.previewed.text;
  const legend = el(
    'p',
    { class: 'legend' },
    ...['skill', 'occupation', 'place', 'time', 'need', 'surplus'].map((k) =>
      el('mark', { class: `mk-${k}` }, t(`mk_${k}`)),
    ),
  );
  box.replaceChildren(
    legend,
    markedText(text, marksOf(a)),
    el('h3', {}, t('foundTitle')),
    foundTable(text, a),
    el('h3', {}, t('correctionsTitle')),
    correctionList(),
  );
}

/** The stored corrections of a saved note, which later corrections are made beside. */
async function loadSaved(id) {
  const { corrections } = await send('GET', `/v1/documents/${id}/corrections`);
  draft.documentId = id;
  draft.corrections = corrections;
  draft.storedIds = corrections.map((c) => c.id);
}

/**
 * Saves the note with its corrections (analysed at once), or, for a saved note, its corrections: those taken
 * back are withdrawn, the new ones added. The saved note's corrections are then read back.
 */
async function save() {
  const status = document.getElementById('note-status');
  status.className = '';
  status.textContent = t('saving');
  try {
    const id = draft.documentId;
    if (!id) {
      const answer = await send('POST', '/v1/documents', {
        ...metadata(),
        ...(employer() && { employer: employer() }),
        text: textOf(),
        visibility: draft.fields.visibility,
        ...(draft.corrections.length > 0 && { corrections: draft.corrections.map(plain) }),
      });
      await loadSaved(answer.id);
      draft.said = `${t('savedNote')} (${answer.id})`;
    } else {
      const kept = new Set(draft.corrections.flatMap((c) => (c.id ? [c.id] : [])));
      for (const gone of draft.storedIds.filter((c) => !kept.has(c)))
        await send('DELETE', `/v1/documents/${id}/corrections/${gone}`);
      const added = draft.corrections.filter((c) => !c.id).map(plain);
      if (added.length > 0) await send('POST', `/v1/documents/${id}/corrections`, { corrections: added });
      await loadSaved(id);
      draft.said = `${t('savedCorrections')} (${id})`;
    }
    rerenderView();
  } catch (err) {
    status.className = 'error';
    status.textContent = `${t('error')}: ${err instanceof ApiError ? err.message : String(err)}`;
  }
}

/** Opens a saved note of the organisation: its fields and text as stored, its corrections to go on from. */
async function openNote(id) {
  const doc = await send('GET', `/v1/documents/${id}`);
  Object.assign(draft.fields, {
    kind: doc.kind,
    date: doc.date ?? '',
    language: doc.language ?? '',
    employer: doc.employer?.name ?? '',
    businessId: doc.employer?.businessId ?? '',
    region: doc.region ?? '',
    sector: doc.employer?.sector ?? '',
    visibility: doc.visibility,
    text: doc.text,
  });
  await loadSaved(id);
  draft.preview = undefined;
  draft.said = undefined;
  rerenderView();
}

/** Begins a new note. */
function newNote() {
  Object.assign(draft.fields, { text: '', employer: '', businessId: '', sector: '' });
  Object.assign(draft, {
    corrections: [],
    storedIds: [],
    documentId: undefined,
    preview: undefined,
    said: undefined,
  });
  rerenderView();
}

/** The organisation's latest notes, to open one and correct it after saving. */
async function myNotes() {
  const p = panel('my-notes', t('myNotes'));
  const { items } = await send('GET', '/v1/documents', undefined, { limit: 10 });
  if (items.length === 0) return void p.append(el('p', { class: 'hint' }, t('noData')));
  p.append(
    el(
      'ul',
      { class: 'my-notes' },
      ...items.map((d) =>
        el(
          'li',
          { 'data-id': d.id },
          `${d.date ? fmt.date(d.date) : fmt.date(d.createdAt)} · ${t(`nk_${d.kind}`)}${d.region ? ` · ${d.region}` : ''}${d.title ? ` · ${d.title}` : ''} · ${t(`vis_${d.visibility}`)} `,
          el('button', { type: 'button', class: 'link', onclick: () => void openNote(d.id) }, t('openNote')),
        ),
      ),
    ),
  );
}

const FIELDS = [
  ['kind', 'select', ['meeting_note', 'survey_answer', 'report'], 'nk_'],
  ['date', 'date'],
  ['language', 'select', ['', 'fi', 'sv', 'en'], 'tl_'],
  ['employer', 'text'],
  ['businessId', 'text'],
  ['region', 'text'],
  ['sector', 'text'],
  ['visibility', 'select', ['private', 'shared'], 'vis_'],
];

/** The note view: the form on the left, the live preview beside it. */
export async function note(page) {
  rerenderView = () => page.rerender();
  const saved = draft.documentId !== undefined;
  const form = el('form', { id: 'note-form', class: 'note-form', novalidate: '' });
  for (const [name, type, values, prefix] of FIELDS) {
    const input =
      type === 'select'
        ? el(
            'select',
            { name, id: `note-${name}` },
            ...values.map((v) => el('option', { value: v }, t(`${prefix}${v}`))),
          )
        : el('input', {
            name,
            id: `note-${name}`,
            type,
            ...(name === 'businessId' && { placeholder: '1234567-8', pattern: '\\d{7}-\\d' }),
            ...(name === 'region' && { list: 'note-municipalities', autocomplete: 'off' }),
          });
    input.value = draft.fields[name];
    input.addEventListener('input', () => {
      draft.fields[name] = input.value;
      if (name === 'kind' && input.value !== 'meeting_note' && draft.fields.visibility === 'private') {
        // only meeting notes are private unless told otherwise, as the API has it
        draft.fields.visibility = 'shared';
        form.querySelector('#note-visibility').value = 'shared';
      }
      schedulePreview();
    });
    form.append(el('label', { for: `note-${name}` }, el('span', {}, t(`nf_${name}`)), input));
  }
  const area = el('textarea', {
    id: 'note-text',
    name: 'text',
    rows: 12,
    required: '',
    spellcheck: 'true',
    ...(saved && { readonly: '' }),
  });
  area.value = draft.fields.text;
  area.addEventListener('input', () => {
    const before = textOf();
    draft.fields.text = area.value;
    shiftCorrections(before, textOf());
    schedulePreview();
  });
  form.append(
    el('label', { for: 'note-text', class: 'wide' }, el('span', {}, t('nf_text')), area),
    el('datalist', { id: 'note-municipalities' }),
    el(
      'div',
      { class: 'wide row' },
      el('button', { type: 'submit', id: 'note-save' }, t(saved ? 'saveCorrections' : 'saveNote')),
      saved ? el('button', { type: 'button', id: 'note-new', onclick: newNote }, t('newNote')) : null,
    ),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!textOf().trim()) {
      const status = document.getElementById('note-status');
      status.className = 'error';
      status.textContent = t('emptyNote');
      return;
    }
    void save();
  });
  const write = panel('note', t(saved ? 'savedNoteTitle' : 'noteTitle'));
  write.append(
    el('p', { class: 'hint' }, t(saved ? 'savedNoteHint' : 'noteHint')),
    form,
    el(
      'p',
      { id: 'note-status', role: 'status', ...(draft.said && saved && { 'data-saved': draft.documentId }) },
      saved ? (draft.said ?? '') : '',
    ),
  );
  if (saved) for (const input of form.querySelectorAll('input, select')) input.disabled = true;
  const shown = panel('note-preview', t('previewTitle'));
  shown.append(el('p', { id: 'preview-status', role: 'status' }), el('div', { id: 'note-preview-body' }), addForm());
  showPreview();
  // municipalities to choose from, as the region list has them
  api('/v1/regions', { level: 'municipality' })
    .then((list) => {
      const options = list.regions.map((r) => el('option', { value: r.name }));
      document.getElementById('note-municipalities')?.replaceChildren(...options);
    })
    .catch(() => undefined);
  if (draft.fields.text.trim()) await preview();
  await myNotes().catch(() => undefined);
}
