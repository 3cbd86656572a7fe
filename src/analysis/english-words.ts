import nlp from 'compromise';

/** An English word of a sentence with its part of speech from compromise and its offsets in the sentence. */
export interface EnglishWord {
  text: string;
  start: number;
  end: number;
  /** the most telling of compromise's tags ("Infinitive", "Plural", "Preposition" …), or "Punct"/"Other" */
  pos: string;
  /** compromise's chunk of the word (Noun, Verb, Pivot …) and whether it opens it: "NounB", "NounI" */
  chunk: string;
}

/** compromise's tags from the most to the least telling: a word gets the first it carries. */
const TAG_ORDER = [
  'Gerund',
  'Infinitive',
  'PastTense',
  'Participle',
  'Modal',
  'Copula',
  'Auxiliary',
  'PresentTense',
  'Verb',
  'Pronoun',
  'Acronym',
  'ProperNoun',
  'Plural',
  'Singular',
  'Noun',
  'Comparable',
  'Adjective',
  'Adverb',
  'Preposition',
  'Conjunction',
  'Determiner',
  'Value',
  'QuestionWord',
];

type CompromiseTerm = {
  text: string;
  post: string;
  tags: string[];
  chunk?: string;
  offset: { start: number; length: number };
};

/** A term of compromise's reading: offsets in the text read, its tag, and its chunk with B/I at its start. */
export interface EnglishTerm {
  start: number;
  end: number;
  pos: string;
  chunk: string;
}

/** compromise's reading of a text (a sentence, or a whole document at once, which is faster). */
export function readEnglish(text: string): EnglishTerm[] {
  const sentences = nlp(text).json({ offset: true, terms: { offset: true } }) as { terms: CompromiseTerm[] }[];
  return sentences.flatMap((s) =>
    s.terms.map((t, i) => {
      const before = s.terms[i - 1];
      const opens = !before || before.chunk !== t.chunk || /[,;:()]/.test(before.post);
      return {
        start: t.offset.start,
        end: t.offset.start + t.offset.length,
        pos: TAG_ORDER.find((tag) => t.tags.includes(tag)) ?? 'Other',
        chunk: `${t.chunk ?? 'None'}${opens ? 'B' : 'I'}`,
      };
    }),
  );
}

/** Each word's tag and chunk from the term that covers its start (`starts` ascending, in the terms' offsets). */
function tagsAt(terms: EnglishTerm[], words: string[], starts: number[]): { pos: string[]; chunks: string[] } {
  let k = 0;
  const pos: string[] = [];
  const chunks: string[] = [];
  words.forEach((word, i) => {
    if (!/[\p{L}\p{N}]/u.test(word)) {
      pos.push('Punct');
      chunks.push('Punct');
      return;
    }
    const start = starts[i]!;
    while (k < terms.length && terms[k]!.end <= start) k++;
    const term = terms[k];
    const covers = term !== undefined && term.start < start + word.length;
    pos.push(covers ? term.pos : 'Other');
    chunks.push(covers ? term.chunk : 'Other');
  });
  return { pos, chunks };
}

/** Parts of speech and chunks for words already cut (SkillSpan's tokens), the words joined by spaces. */
export function tagTokens(tokens: string[]): { pos: string[]; chunks: string[] } {
  let text = '';
  const starts = tokens.map((t) => {
    const start = text.length + (text ? 1 : 0);
    text += (text ? ' ' : '') + t;
    return start;
  });
  return tagsAt(readEnglish(text), tokens, starts);
}

/**
 * A sentence cut at white space (punctuation at a word's edges its own token), each word with its tag: from
 * `reading`, compromise's reading of the whole text the sentence starts at `offset` in, else of the sentence.
 */
export function englishWords(sentence: string, reading?: { terms: EnglishTerm[]; offset: number }): EnglishWord[] {
  const words: { text: string; start: number; end: number }[] = [];
  for (const m of sentence.matchAll(/\S+/g)) {
    const raw = m[0];
    const lead = /^[(["'“‘•*·-]+/.exec(raw)?.[0].length ?? 0;
    const trail = /[)\]"'”’.,;:!?]+$/.exec(raw.slice(lead))?.[0].length ?? 0;
    const at = m.index;
    if (lead > 0) words.push({ text: raw.slice(0, lead), start: at, end: at + lead });
    if (raw.length - lead - trail > 0)
      words.push({ text: raw.slice(lead, raw.length - trail), start: at + lead, end: at + raw.length - trail });
    if (trail > 0)
      words.push({ text: raw.slice(raw.length - trail), start: at + raw.length - trail, end: at + raw.length });
  }
  const texts = words.map((w) => w.text);
  const tags = reading
    ? tagsAt(
        reading.terms,
        texts,
        words.map((w) => reading.offset + w.start),
      )
    : tagTokens(texts);
  return words.map((w, i) => ({ ...w, pos: tags.pos[i]!, chunk: tags.chunks[i]! }));
}

/** A phrase of an English sentence a reader would mark: offsets in the sentence, and its words when a coordination shares them. */
export interface EnglishPhrase {
  /** the phrase's words, a shared verb or object filled in ("design CI pipelines" of "design and maintain CI pipelines") */
  text: string;
  start: number;
  end: number;
}

const VERB = new Set(['Gerund', 'Infinitive', 'PastTense', 'PresentTense', 'Verb']);
const LEAD = new Set(['Pronoun', 'Modal', 'Auxiliary', 'Copula', 'Adverb']);
const LIST_BREAK = /^(?:[,;:()[\]•·*–—/|]|and|or|as well as|&)$/i;

/**
 * Phrase candidates of an English sentence: its pieces between punctuation; in each, verb phrases with their
 * objects, coordinated verbs each with the shared object, and listed noun phrases each on its own.
 */
export function englishPhrases(sentence: string): EnglishPhrase[] {
  const words = englishWords(sentence);
  const phrases: EnglishPhrase[] = [];
  const phrase = (parts: EnglishWord[][]) => {
    const all = parts.flat();
    if (all.length === 0) return;
    phrases.push({
      text: all.map((w) => w.text).join(' '),
      start: Math.min(...all.map((w) => w.start)),
      end: Math.max(...all.map((w) => w.end)),
    });
  };
  // the pieces between punctuation
  const pieces: EnglishWord[][] = [[]];
  for (const w of words) {
    if (w.pos === 'Punct' && /[,;:()[\]•·*–—|.!?]/.test(w.text)) pieces.push([]);
    else pieces.at(-1)!.push(w);
  }
  for (const piece of pieces) {
    let i = 0;
    while (i < piece.length && LEAD.has(piece[i]!.pos) && !VERB.has(piece[i]!.pos)) i++;
    const body = piece.slice(i);
    if (body.length === 0) continue;
    if (!VERB.has(body[0]!.pos)) {
      // a list of noun phrases: "Kubernetes, Docker or AWS"
      let item: EnglishWord[] = [];
      for (const w of body) {
        if (w.pos === 'Copula') break; // "AWS is a plus": the list ends where its sentence says something of it
        if (LIST_BREAK.test(w.text)) {
          phrase([item]);
          item = [];
        } else item.push(w);
      }
      phrase([item]);
      continue;
    }
    // verb phrases: verbs joined by and/or share the object after the last of them; a conjunction followed by a
    // verb starts the next phrase
    let k = 0;
    while (k < body.length) {
      const verbs: EnglishWord[] = [body[k]!];
      k++;
      while (k + 1 < body.length && /^(?:and|or)$/i.test(body[k]!.text) && VERB.has(body[k + 1]!.pos)) {
        const after = body[k + 2];
        // "design and maintain X": a shared object; "write tests and work with X": a phrase of its own
        if (after && VERB.has(body[k + 1]!.pos) && !['Preposition', 'Adverb'].includes(after.pos)) {
          verbs.push(body[k + 1]!);
          k += 2;
        } else break;
      }
      const object: EnglishWord[] = [];
      while (k < body.length && !(/^(?:and|or)$/i.test(body[k]!.text) && VERB.has(body[k + 1]?.pos ?? ''))) {
        object.push(body[k]!);
        k++;
      }
      if (k < body.length) k++; // the conjunction before the next verb phrase
      for (const verb of verbs) phrase([[verb], object]);
    }
  }
  return phrases;
}
