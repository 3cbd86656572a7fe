// The drill-down: the documents and sentences behind one skill's or one occupation's demand.
import { api } from './api.js';
import { el } from './dom.js';
import { filters, fmt, saveState, state, t } from './state.js';

/** What the drill-down shows, kept in the page's URL: a skill (its URI) or an occupation (URI or ISCO-08 code). */
export const drilled = () =>
  state.occupation ? { key: state.occupation, concept: 'occupation' } : state.skill ? { key: state.skill } : undefined;

/** The sentences the drill-down shows, so that a repeated one is shown once. */
const shownSentences = new Set();

/** Opens the drill-down of a skill, or with concept 'occupation' of an occupation or ISCO-08 group. */
export async function openDrill(key, { concept = 'skill', offset = 0 } = {}) {
  const occupational = concept === 'occupation';
  delete state.skill;
  delete state.occupation;
  state[occupational ? 'occupation' : 'skill'] = key;
  saveState();
  const box = document.getElementById('drill');
  box.hidden = false;
  const asked = occupational ? { concept, occupation: key } : { skill: key };
  const data = await api('/v1/demand/documents', { ...filters(), ...asked, limit: 20, offset });
  if (offset === 0) box.replaceChildren();
  if (offset === 0) {
    const label = (occupational ? data.occupation : data.skill).label;
    box.append(
      el(
        'div',
        { class: 'panel', id: 'drill-panel' },
        el('h2', {}, `${t(occupational ? 'drillOccupationTitle' : 'drillTitle')}: ${label} (${fmt.int(data.total)})`),
        el('div', { class: 'tools' }, el('button', { type: 'button', onclick: closeDrill }, t('close'))),
        el('div', { id: 'drill-docs' }),
      ),
    );
  }
  const list = document.getElementById('drill-docs');
  // a sentence repeated in several documents (the same ad sent by two organisations, a reposted ad) is shown once
  if (offset === 0) shownSentences.clear();
  for (const d of data.documents) {
    const fresh = d.sentences.filter((s) => !shownSentences.has(s.text.trim()));
    for (const s of fresh) shownSentences.add(s.text.trim());
    const sentences = fresh.map((s) => {
      const p = el('p', { class: 'sentence' });
      let pos = 0;
      for (const sp of [...s.spans].sort((a, b) => a.start - b.start)) {
        if (sp.start < pos) continue;
        p.append(s.text.slice(pos, sp.start), el('mark', {}, s.text.slice(sp.start, sp.end)));
        pos = sp.end;
      }
      p.append(s.text.slice(pos), el('span', { class: 'meta' }, ` (${t(`h_${s.horizon}`)})`));
      return p;
    });
    // a job ad's own occupation counts without a sentence
    if (occupational && d.sentences.length === 0) sentences.push(el('p', { class: 'meta' }, t('ownOccupation')));
    else if (fresh.length < d.sentences.length)
      sentences.push(el('p', { class: 'meta', 'data-repeated': '' }, t('sameSentences')));
    list.append(
      el(
        'article',
        { class: 'drill-doc', 'data-document': d.id },
        el('h3', {}, d.title ?? t(`k_${d.kind}`)),
        el(
          'div',
          { class: 'meta' },
          `${fmt.date(d.date)} · ${t(`k_${d.kind}`)}${d.region ? ` · ${d.region}` : ''} · ${t('mentions')}: ${d.mentions}`,
        ),
        ...sentences,
      ),
    );
  }
  const shown = offset + data.documents.length;
  document.getElementById('drill-more')?.remove();
  if (shown < data.total)
    list.after(
      el(
        'button',
        { type: 'button', id: 'drill-more', onclick: () => openDrill(key, { concept, offset: shown }) },
        `${t('more')} (${shown} ${t('of')} ${data.total})`,
      ),
    );
  box.scrollIntoView({ behavior: 'smooth', block: 'start' });
}

export function closeDrill() {
  delete state.skill;
  delete state.occupation;
  saveState();
  const box = document.getElementById('drill');
  box.hidden = true;
  box.replaceChildren();
}

/** A skill's (or an occupation's) name that opens its drill-down. */
export const drillButton = (key, label, concept = 'skill') =>
  el(
    'button',
    { type: 'button', class: 'link', [`data-${concept}`]: key, onclick: () => openDrill(key, { concept }) },
    label,
  );
