import { Type, type Static } from 'typebox';
import { Language } from './language.js';
import { RegionLevel } from './region.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** A name in the three languages: English always (ESCO's own), Finnish and Swedish where the source has them. */
const Names = Type.Object({ en: Type.String(), fi: Nullable(Type.String()), sv: Nullable(Type.String()) });

/** A preferred or alternative label of an ESCO concept (hidden labels, ESCO's search aids, are left out). */
export const ConceptLabel = Type.Object({
  uri: Type.String(),
  lang: Language,
  kind: Type.Enum(['pref', 'alt']),
  label: Type.String(),
});
export type ConceptLabel = Static<typeof ConceptLabel>;

/** ESCO's URI of an ISCO-08 group ("8219" → …/isco/C8219): the key of an occupation named only as its group. */
export const ISCO_GROUP_URI = 'http://data.europa.eu/esco/isco/C';

/** The ISCO-08 code of an ESCO ISCO-group URI; undefined for any other URI. */
export const iscoCodeOf = (uri: string): string | undefined =>
  uri.startsWith(ISCO_GROUP_URI) ? uri.slice(ISCO_GROUP_URI.length) : undefined;

/** ESCO's skill groups "languages" and "mastering languages": the skills under them are languages. */
export const LANGUAGE_GROUP_URIS = [
  'http://data.europa.eu/esco/skill/43f425aa-f45d-4bb4-a200-6f82fa211b66',
  'http://data.europa.eu/esco/skill/9adca63b-9c75-4804-8dab-d62872540a10',
];

/** A word of the trade that ESCO lacks, mapped to the ESCO skill or occupation it stands for (taxonomy/aliases.csv). */
export const Alias = Type.Object({
  lang: Language,
  alias: Type.String(),
  uri: Type.String(),
  file: Type.String(),
  line: Type.Integer(),
});
export type Alias = Static<typeof Alias>;

/**
 * The classifications as the analysis uses them, one plain value: ESCO skills and occupations with their labels,
 * ISCO-08 groups, TOL 2008 sectors, Finnish regions and postal codes, and the local aliases. Read from the
 * database (or the source files) once per process and handed to analysis processes as data.
 */
export const TaxonomyData = Type.Object({
  /** the imported version (id null when read straight from the files); contentHash keys the embedding cache */
  version: Nullable(
    Type.Object({ id: Nullable(Type.Integer()), escoVersion: Type.String(), contentHash: Type.String() }),
  ),
  /** sorted by URI */
  skills: Type.Array(Type.Object({ uri: Type.String(), type: Nullable(Type.String()), names: Names })),
  /** skill labels sorted by URI, language, kind and label */
  skillLabels: Type.Array(ConceptLabel),
  /** the URIs of ESCO's skill groups */
  skillGroups: Type.Array(Type.String()),
  /** the skills pillar: a skill or group and one concept broader than it, sorted */
  skillBroader: Type.Array(Type.Object({ uri: Type.String(), broader: Type.String() })),
  occupations: Type.Array(
    Type.Object({ uri: Type.String(), isco: Type.String(), names: Names, description: Nullable(Type.String()) }),
  ),
  occupationLabels: Type.Array(ConceptLabel),
  /** the skills ESCO lists for each occupation, essential or optional */
  occupationSkills: Type.Array(
    Type.Object({ occupation: Type.String(), skill: Type.String(), essential: Type.Boolean() }),
  ),
  iscoGroups: Type.Array(Type.Object({ code: Type.String(), names: Names })),
  /** TOL 2008 sections and divisions, NACE groups and classes, sorted by code; notes keep what each includes */
  sectors: Type.Array(
    Type.Object({
      code: Type.String(),
      level: Type.Integer(),
      parent: Nullable(Type.String()),
      names: Names,
      notes: Type.Object({ en: Nullable(Type.String()), fi: Nullable(Type.String()), sv: Nullable(Type.String()) }),
    }),
  ),
  regions: Type.Array(
    Type.Object({
      code: Type.String(),
      level: RegionLevel,
      names: Type.Object({ fi: Type.String(), sv: Nullable(Type.String()), en: Nullable(Type.String()) }),
      parent: Nullable(Type.String()),
      /** YYYY-MM-DD: ELY areas end with 2025, elinvoimakeskus areas begin with 2026 */
      validFrom: Nullable(Type.String()),
      validTo: Nullable(Type.String()),
    }),
  ),
  /** municipality → its ELY and elinvoimakeskus areas */
  municipalityAreas: Type.Array(Type.Object({ municipality: Type.String(), area: Type.String() })),
  postalCodes: Type.Array(Type.Object({ postcode: Type.String(), municipality: Type.String() })),
  /**
   * Postal localities (fi/sv) that lie in one municipality and are not a region's name: villages, districts and
   * municipalities merged away ("Korpilahti" is in Jyväskylä since 2009)
   */
  localities: Type.Array(Type.Object({ name: Type.String(), municipality: Type.String() })),
  /** names of sub-regions and customary areas ("Suupohja", "Itä-Suomi"), each with the region that holds it */
  regionNames: Type.Array(Type.Object({ name: Type.String(), region: Type.String() })),
  /** only aliases of skills in this taxonomy */
  aliases: Type.Array(Alias),
});
export type TaxonomyData = Static<typeof TaxonomyData>;

/** The fields of TaxonomyData. */
export const TAXONOMY_PARTS = Object.keys(TaxonomyData.properties) as (keyof TaxonomyData)[];

/** One field of TaxonomyData with its value: the taxonomy goes to an analysis process in such parts. */
export type TaxonomyPart = { [K in keyof TaxonomyData]: { key: K; value: TaxonomyData[K] } }[keyof TaxonomyData];

/** The whole value from its parts (taxonomy/load.ts reads them). */
export async function assembleTaxonomy(
  parts: AsyncIterable<TaxonomyPart> | Iterable<TaxonomyPart>,
): Promise<TaxonomyData> {
  const data: Partial<Record<keyof TaxonomyData, unknown>> = {};
  for await (const part of parts) data[part.key] = part.value;
  const missing = TAXONOMY_PARTS.filter((key) => !(key in data));
  if (missing.length > 0) throw new Error(`taxonomy parts missing: ${missing.join(', ')}`);
  return data as TaxonomyData;
}
