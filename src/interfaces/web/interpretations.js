// Interpretations beside a view: what analysts of the network read from the same region, horizon and period,
// with their replies and agreements, and a form to write one on the view or on one of its concepts.
import { api, ApiError, send } from './api.js';
import { el, panel } from './dom.js';
import { fmt, state, t } from './state.js';

/** The view's period as months: its filters, else the last three months. */
function period() {
  const now = new Date();
  const month = (d) => d.toISOString().slice(0, 7);
  const back = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 2, 1));
  return { from: state.from || month(back), to: state.to || month(now) };
}

/** One interpretation: what it is about, its text, its replies, and the means to reply and agree. */
function card(i, rerender) {
  const about = [
    i.region?.name ?? t('wholeCountry'),
    i.concept ? `${t(`ct_${i.concept.type}`)}: ${i.concept.label}` : null,
    i.horizon ? t(`h_${i.horizon}`) : null,
    `${i.from} – ${i.to}`,
  ].filter(Boolean);
  const agreeing = i.agreements.map((a) => a.organisation);
  const replyBox = el('textarea', { rows: 2, class: 'reply-text', 'aria-label': t('reply') });
  const act = async (work) => {
    try {
      await work();
      await rerender();
    } catch (err) {
      status.textContent = `${t('error')}: ${err instanceof ApiError ? err.message : String(err)}`;
    }
  };
  const status = el('p', { class: 'error', role: 'alert' });
  return el(
    'article',
    { class: `interpretation${i.agreed ? ' agreed' : ''}`, 'data-id': i.id },
    el('h3', {}, i.title, i.agreed ? el('span', { class: 'badge' }, ` ${t('agreed')}`) : null),
    el('p', { class: 'hint' }, `${i.organisation} · ${fmt.date(i.createdAt)} · ${about.join(' · ')}`),
    el('p', { class: 'body' }, i.body),
    agreeing.length > 0 ? el('p', { class: 'hint agreements' }, `${t('agreeing')}: ${agreeing.join(', ')}`) : null,
    ...i.replies.map((r) => el('blockquote', { class: 'reply' }, el('strong', {}, `${r.organisation}: `), r.body)),
    el(
      'div',
      { class: 'row' },
      el(
        'button',
        {
          type: 'button',
          class: 'agree',
          onclick: () =>
            act(() =>
              send(i.agreedByYou ? 'DELETE' : 'PUT', `/v1/interpretations/${i.id}/agreement`, undefined, {
                lang: state.lang,
              }),
            ),
        },
        i.agreedByYou ? t('withdrawAgreement') : t('agree'),
      ),
    ),
    el(
      'form',
      {
        class: 'reply-form',
        onsubmit: (e) => {
          e.preventDefault();
          if (!replyBox.value.trim()) return;
          void act(() =>
            send('POST', `/v1/interpretations/${i.id}/replies`, { body: replyBox.value.trim() }, { lang: state.lang }),
          );
        },
      },
      replyBox,
      el('button', { type: 'submit' }, t('reply')),
    ),
    status,
  );
}

/** The form for a new interpretation of the view, on the whole of it or one of `concepts` ({ type, key, label }). */
function writeForm(concepts, rerender) {
  const title = el('input', { id: 'ip-title', size: 40, required: '' });
  const body = el('textarea', { id: 'ip-body', rows: 3, required: '' });
  const concept = el('select', { id: 'ip-concept' }, el('option', { value: '' }, t('wholeView')));
  for (const c of concepts) concept.append(el('option', { value: `${c.type}|${c.key}` }, c.label));
  const visibility = el(
    'select',
    { id: 'ip-visibility' },
    el('option', { value: 'network' }, t('vis_network')),
    el('option', { value: 'organisation' }, t('vis_organisation')),
  );
  const status = el('p', { role: 'alert', class: 'error' });
  const form = el(
    'form',
    { id: 'interpretation-form', class: 'interpretation-form' },
    el('label', {}, el('span', {}, t('ipTitle')), title),
    el('label', {}, el('span', {}, t('ipConcept')), concept),
    el('label', {}, el('span', {}, t('nf_visibility')), visibility),
    el('label', { class: 'wide' }, el('span', {}, t('ipBody')), body),
    el('div', { class: 'wide row' }, el('button', { type: 'submit', id: 'ip-save' }, t('publish'))),
    status,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const [conceptType, key] = concept.value ? concept.value.split('|') : [];
    try {
      await send(
        'POST',
        '/v1/interpretations',
        {
          title: title.value,
          body: body.value,
          ...(state.region && { region: state.region }),
          ...(conceptType && { conceptType, concept: key }),
          ...(state.horizon && { horizon: state.horizon }),
          ...period(),
          visibility: visibility.value,
        },
        { lang: state.lang },
      );
      await rerender();
    } catch (err) {
      status.textContent = `${t('error')}: ${err instanceof ApiError ? err.message : String(err)}`;
    }
  });
  return form;
}

/** The interpretations panel under a view, with `concepts` it can be written on. */
export async function interpretationsPanel(concepts = []) {
  const p = panel('interpretations', t('interpretationsTitle'));
  const render = async () => {
    const { interpretations } = await api('/v1/interpretations', {
      ...(state.region && { region: state.region }),
      ...(state.horizon && { horizon: state.horizon }),
      ...period(),
    });
    const list = el('div', { id: 'interpretation-list' });
    if (interpretations.length === 0) list.append(el('p', { class: 'hint' }, t('noInterpretations')));
    for (const i of interpretations) list.append(card(i, render));
    p.replaceChildren(
      el('h2', {}, t('interpretationsTitle')),
      list,
      el('details', {}, el('summary', {}, t('writeInterpretation')), writeForm(concepts, render)),
    );
  };
  await render();
}
