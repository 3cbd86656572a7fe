import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/storage/documents.repository.js';

/** The hash as first defined (every whitespace run replaced): stored documents carry it, so it must not change. */
const reference = (kind: string, title: string | undefined, text: string) =>
  createHash('sha256')
    .update(`${kind}\0${title ?? ''}\0${text.normalize('NFC').replace(/\s+/g, ' ').trim()}`)
    .digest('hex');

// whitespace of every kind JavaScript's \s knows, beside letters that NFC composes
const pieces = [
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\u00a0',
  '\u2028',
  '\u3000',
  '\ufeff',
  'a',
  'ä',
  'a\u0308',
  'hitsaaja',
  '.',
];

describe('contentHash', () => {
  it('is the hash stored documents were given, whatever the whitespace', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...pieces), { maxLength: 40 }),
        fc.option(fc.string(), { nil: undefined }),
        (parts, title) => {
          const text = parts.join('');
          expect(contentHash({ kind: 'job_ad', text, title })).toBe(reference('job_ad', title, text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('makes texts that differ only in whitespace the same document', () => {
    expect(contentHash({ kind: 'job_ad', text: ' Haemme\u00a0hitsaajaa\n\nLahteen. ' })).toBe(
      contentHash({ kind: 'job_ad', text: 'Haemme hitsaajaa Lahteen.' }),
    );
    expect(contentHash({ kind: 'job_ad', text: 'Haemme hitsaajaa Lahteen.' })).not.toBe(
      contentHash({ kind: 'meeting_note', text: 'Haemme hitsaajaa Lahteen.' }),
    );
  });
});
