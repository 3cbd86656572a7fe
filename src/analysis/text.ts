/** A word of the text with its exact character offsets (end exclusive, UTF-16 code units as in JS strings). */
export interface Token {
  text: string;
  start: number;
  end: number;
}

export interface Sentence {
  index: number;
  start: number;
  end: number;
  text: string;
}

/** Unicode NFC and unified line ends; offsets of the analysis refer to the normalised text. */
export function normalizeText(text: string): string {
  return text.normalize('NFC').replace(/\r\n?/g, '\n');
}

// Letters and digits, joined by inner hyphens, apostrophes, dots or slashes ("MIG-hitsaus", "B2B", "C++", "node.js")
const WORD = /[\p{L}\p{N}]+(?:[-'’.·/][\p{L}\p{N}]+)*(?:\+\+|#)?/gu;

export function tokenize(text: string, offset = 0): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = offset + (m.index ?? 0);
    // "MIG/MAG-hitsausta" is two coordinated compounds sharing a head, like "MIG- ja MAG-hitsausta"
    const shared = SLASHED_MODIFIERS.exec(m[0]);
    if (shared) {
      const first = shared[1]!;
      tokens.push({ text: first, start, end: start + first.length });
      tokens.push({ text: m[0].slice(first.length + 1), start: start + first.length + 1, end: start + m[0].length });
    } else tokens.push({ text: m[0], start, end: start + m[0].length });
  }
  return tokens;
}

/** Two modifiers joined by a slash before a hyphen and a head: "MIG/MAG-hitsaus", "el/VVS-installation". */
const SLASHED_MODIFIERS = /^([\p{L}\p{N}]+)\/[\p{L}\p{N}]+-\p{L}/u;

const segmenters = new Map<string, Intl.Segmenter>();

/** Sentences by Unicode sentence boundaries (ICU), also split at blank lines and list bullets. */
export function segmentSentences(text: string, language: string): Sentence[] {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: 'sentence' });
    segmenters.set(language, segmenter);
  }
  const sentences: Sentence[] = [];
  for (const seg of segmenter.segment(text)) {
    // ICU keeps list items and headings without final punctuation together: split them at line breaks
    let pos = seg.index;
    for (const piece of seg.segment.split(/\n/)) {
      const lead = piece.length - piece.trimStart().length;
      const trimmed = piece.trim();
      if (trimmed.length > 0) {
        const start = pos + lead;
        sentences.push({ index: sentences.length, start, end: start + trimmed.length, text: trimmed });
      }
      pos += piece.length + 1;
    }
  }
  return mergeAbbreviations(sentences, text);
}

// Abbreviations after which ICU wrongly ends a sentence
const ABBREVIATION =
  /(?:^|\s)(?:esim|mm|ns|n|ym|yms|jne|ks|vrt|ts|tms|klo|puh|e\.g|i\.e|etc|approx|t\.ex|bl\.a|s\.k|ca|kl|tel|resp|inkl)\.$/i;

function mergeAbbreviations(sentences: Sentence[], text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const s of sentences) {
    const prev = out[out.length - 1];
    if (prev && ABBREVIATION.test(prev.text) && !text.slice(prev.end, s.start).includes('\n')) {
      prev.end = s.end;
      prev.text = text.slice(prev.start, s.end);
    } else {
      out.push({ ...s, index: out.length });
    }
  }
  return out;
}

// Where a sentence divides into phrases: punctuation inside it, list marks, and the coordinating words that join
// the items of a requirement list ("Python and SQL", "asiakaspalvelu ja myynti", "svetsning och montering")
const PHRASE_BREAK =
  /\s*[,;:•·–—()[\]/]\s*|\s+(?:and|or|as well as|including|such as|ja|tai|sekä|eli|kuten|esim\.|och|eller|samt|såsom|t\.ex\.)\s+/giu;

/**
 * The phrases of a sentence of at least `minWords` words each, with offsets in the text (an item of a list, a
 * clause); a sentence that does not divide gives none.
 */
export function splitPhrases(sentence: Sentence, minWords = 2): Sentence[] {
  const pieces: { start: number; end: number }[] = [];
  let pos = 0;
  const body = sentence.text.replace(/[.!?]+$/u, '');
  for (const m of body.matchAll(PHRASE_BREAK)) {
    pieces.push({ start: pos, end: m.index });
    pos = m.index + m[0].length;
  }
  if (pieces.length === 0) return [];
  pieces.push({ start: pos, end: body.length });
  const phrases: Sentence[] = [];
  for (const p of pieces) {
    const text = body.slice(p.start, p.end).trim();
    if (tokenize(text).length < minWords) continue;
    const start = sentence.start + p.start + body.slice(p.start).indexOf(text);
    phrases.push({ index: sentence.index, start, end: start + text.length, text });
  }
  return phrases;
}
