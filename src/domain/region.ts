import { Type, type Static } from 'typebox';

/** The levels of Finnish regional division, lowest first. */
export const REGION_LEVELS = ['municipality', 'maakunta', 'ely', 'elinvoimakeskus', 'major_region', 'country'] as const;
export const RegionLevel = Type.Enum([...REGION_LEVELS]);
export type RegionLevel = Static<typeof RegionLevel>;

/** The level a region filter names when it is a grouping of regions (an ESR+ area, one a user made), not a level. */
export const GROUPING_LEVEL = 'grouping';

export const RegionRef = Type.Object({ code: Type.String(), name: Type.String(), level: RegionLevel });
export type RegionRef = Static<typeof RegionRef>;

/** Where a place was read from: the document's metadata or its text. */
export const PlaceSource = Type.Enum(['metadata', 'text']);

/** A place found in the text or the metadata, resolved to a region of the classification. */
export const Place = Type.Object({
  code: Type.String(),
  level: RegionLevel,
  source: PlaceSource,
  text: Type.String({ description: 'the words as written ("Hämeenlinnassa", "lahtelaisen", "15100")' }),
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
});
export type Place = Static<typeof Place>;

/** A place that could not be resolved: reported, never guessed. */
export const PlaceProblem = Type.Object({
  text: Type.String(),
  source: PlaceSource,
  reason: Type.Enum(['unknown', 'ambiguous']),
  candidates: Type.Optional(Type.Array(Type.String())),
  start: Type.Optional(Type.Integer()),
  end: Type.Optional(Type.Integer()),
});
export type PlaceProblem = Static<typeof PlaceProblem>;

/** A region of a document with its roll-up: the place its demand is counted in (primary), or another it names. */
export const DocumentRegion = Type.Object({ ...RegionRef.properties, primary: Type.Boolean(), source: PlaceSource });
export type DocumentRegion = Static<typeof DocumentRegion>;
