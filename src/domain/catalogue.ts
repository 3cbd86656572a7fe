import { Type, type Static } from 'typebox';

/** What feeds the platform: job-ad dumps, meeting notes, surveys, official statistics, reports. */
export const SOURCE_KINDS = ['job_ads', 'meeting_notes', 'survey', 'statistics', 'report', 'other'] as const;
/** How often a source is renewed. */
export const RHYTHMS = ['continuous', 'weekly', 'monthly', 'quarterly', 'yearly', 'irregular'] as const;

const Text = (maxLength: number, description?: string) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description && { description }) });
const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** A source as an organisation catalogues it. */
export const NewKnowledgeSource = Type.Object(
  {
    name: Text(200, 'what the source is called ("Työmarkkinatori ads, Päijät-Häme")'),
    kind: Type.Enum([...SOURCE_KINDS]),
    owner: Text(200, 'who keeps it (an organisation or a person)'),
    rhythm: Type.Enum([...RHYTHMS], { description: 'how often it is renewed' }),
    lastUpdate: Type.Optional(Day),
    url: Type.Optional(Type.String({ maxLength: 500, format: 'uri' })),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type NewKnowledgeSource = Static<typeof NewKnowledgeSource>;

/** Changes to a catalogued source: its renewal above all ("lastUpdate"). */
export const KnowledgeSourceChange = Type.Partial(NewKnowledgeSource, {
  additionalProperties: false,
  minProperties: 1,
});
export type KnowledgeSourceChange = Static<typeof KnowledgeSourceChange>;

export const KnowledgeSource = Type.Object({
  id: Type.String(),
  organisation: Type.String(),
  name: Type.String(),
  kind: Type.Enum([...SOURCE_KINDS]),
  owner: Type.String(),
  rhythm: Type.Enum([...RHYTHMS]),
  lastUpdate: Type.Union([Type.String(), Type.Null()]),
  url: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  /** when it should be renewed next, from its last update and rhythm; null when either is unknown */
  nextDue: Type.Union([Type.String(), Type.Null()]),
});
export type KnowledgeSource = Static<typeof KnowledgeSource>;

/** The documents the platform holds, per organisation and kind, as the caller may read them. */
export const ReceivedSource = Type.Object({
  organisation: Type.String(),
  kind: Type.String(),
  documents: Type.Integer(),
  lastReceived: Type.String({ description: 'the day the newest one arrived' }),
  newest: Type.Union([Type.String(), Type.Null()], { description: 'the latest date a document carries' }),
});
export type ReceivedSource = Static<typeof ReceivedSource>;

/** A knowledge product due every year: a barometer, a foresight review, a brief. */
export const NewCalendarEntry = Type.Object(
  {
    title: Text(200),
    dueMonth: Type.Integer({ minimum: 1, maximum: 12 }),
    dueDay: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, description: 'default the end of the month' })),
    region: Type.Optional(
      Type.String({ maxLength: 60, description: 'the region or grouping it covers: a code or a name' }),
    ),
    owner: Text(200),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type NewCalendarEntry = Static<typeof NewCalendarEntry>;

export const CalendarEntry = Type.Object({
  id: Type.String(),
  organisation: Type.String(),
  title: Type.String(),
  due: Type.String({ description: 'the day it is due in the year asked for' }),
  region: Type.Union([Type.Object({ code: Type.String(), name: Type.String() }), Type.Null()]),
  owner: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
});
export type CalendarEntry = Static<typeof CalendarEntry>;

/** The months each rhythm allows between updates; continuous and irregular sources have no due date. */
export const RHYTHM_MONTHS: Record<(typeof RHYTHMS)[number], number | null> = {
  continuous: null,
  weekly: 0.25,
  monthly: 1,
  quarterly: 3,
  yearly: 12,
  irregular: null,
};
