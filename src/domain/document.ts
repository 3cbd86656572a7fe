import { Type, type Static } from 'typebox';
import { Language } from './language.js';
import { HORIZONS } from './signal.js';

export const DOCUMENT_KINDS = ['job_ad', 'meeting_note', 'survey_answer', 'report'] as const;
export const DocumentKind = Type.Enum([...DOCUMENT_KINDS]);
export type DocumentKind = Static<typeof DocumentKind>;

/** Where a document is on its way through the queue and the analysis. */
export const DOCUMENT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const;
export const DocumentStatus = Type.Enum([...DOCUMENT_STATUSES]);
export type DocumentStatus = Static<typeof DocumentStatus>;

/** Who may read a document's text: only its organisation (private) or every key (shared). */
export const VISIBILITIES = ['private', 'shared'] as const;
export const Visibility = Type.Enum([...VISIBILITIES], {
  description:
    'private: text, sentences and evidence for your organisation only (default for meeting notes); shared: for every key (default otherwise)',
});
export type Visibility = Static<typeof Visibility>;

/** The visibility a document gets when its sender names none: meeting notes are private, the rest shared. */
export const defaultVisibility = (kind: DocumentKind): Visibility => (kind === 'meeting_note' ? 'private' : 'shared');

/** A calendar date, YYYY-MM-DD, in the years 1900–2999 (the database has no year 0, and no text is older). */
export const CalendarDate = (description: string) =>
  Type.String({ format: 'date', pattern: '^(19|2\\d)\\d{2}-', description: `${description}, YYYY-MM-DD (1900–2999)` });

const NonBlank = (description: string, maxLength: number) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', description });

export const Employer = Type.Object(
  {
    name: Type.Optional(NonBlank('employer name', 300)),
    businessId: Type.Optional(
      Type.String({ pattern: '^\\d{7}-\\d$', description: 'Finnish business ID (Y-tunnus), e.g. 1234567-8' }),
    ),
    sector: Type.Optional(NonBlank('TOL 2008 code or sector name', 300)),
  },
  { additionalProperties: false },
);
export type Employer = Static<typeof Employer>;

/** A document as its sender gives it: one text with its metadata. */
export const NewDocument = Type.Object(
  {
    kind: DocumentKind,
    text: Type.String({
      minLength: 1,
      pattern: '\\S',
      description: 'the document text; limit MAX_TEXT_CHARS characters (413 above)',
    }),
    title: Type.Optional(NonBlank('title, e.g. the job title of an ad', 500)),
    language: Type.Optional(Language),
    date: Type.Optional(CalendarDate('publication or meeting date')),
    region: Type.Optional(NonBlank('municipality or region name or code, or a postal code', 200)),
    employer: Type.Optional(Employer),
    vacancies: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    horizon: Type.Optional(
      Type.Enum([...HORIZONS], {
        description: 'when the demand applies, declared for the whole document; else from the text',
      }),
    ),
    externalId: Type.Optional(
      NonBlank("the caller's own id; the same externalId twice (from one organisation) is the same document", 300),
    ),
    visibility: Type.Optional(Visibility),
  },
  {
    additionalProperties: false,
    examples: [
      {
        kind: 'meeting_note',
        text: 'Yritys kertoi, että ensi vuonna tarvitaan viisi hitsaajaa ja kaksi sähköasentajaa Seinäjoelle. Robotiikan osaajia tarvitaan lähivuosina.',
        date: '2026-11-20',
        region: 'Seinäjoki',
        employer: { name: 'Konepaja Oy', businessId: '1234567-8' },
      },
    ],
  },
);
export type NewDocument = Static<typeof NewDocument>;
