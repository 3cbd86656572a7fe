import type { Language } from '../domain/language.js';
import type { Place, PlaceProblem, RegionRef } from '../domain/region.js';
import type { TaxonomyData } from '../domain/taxonomy.js';
import { openVoikko, type VoikkoReading } from './voikko.js';
import { tokenize, type Sentence } from './text.js';

type Region = TaxonomyData['regions'][number];

const CODE = /^(KU\d{3}|MK\d{2}|ELY\d{2}|EVK\d{2}|FI[0-9A-Z]{0,3})$/;

/** The day elinvoimakeskus areas replaced ELY areas. */
const AREA_REFORM = '2026-01-01';

/**
 * Finnish regional divisions: resolves codes, names (fi/sv/en, Finnish inflection through Voikko), postal codes
 * and place names in text to regions, and rolls a region up municipality → maakunta → ELY area (before 2026) or
 * elinvoimakeskus (from 2026) → major region → country.
 */
export class PlaceResolver {
  private readonly voikko = openVoikko();

  private constructor(
    private readonly regions: Map<string, Region>,
    /** lower-cased name in any language → region codes */
    private readonly names: Map<string, Set<string>>,
    /** municipality → its ELY and elinvoimakeskus area codes */
    private readonly areas: Map<string, string[]>,
    private readonly postcodes: Map<string, string>,
    /** lower-cased postal locality → its municipality: villages, districts, municipalities merged away */
    private readonly localities: Map<string, string>,
  ) {}

  static fromData(
    data: Pick<TaxonomyData, 'regions' | 'municipalityAreas' | 'postalCodes' | 'localities' | 'regionNames'>,
  ): PlaceResolver {
    const regions = new Map(data.regions.map((r) => [r.code, r]));
    const names = new Map<string, Set<string>>();
    const name = (n: string, code: string) => {
      const key = n.toLowerCase();
      names.set(key, (names.get(key) ?? new Set()).add(code));
    };
    for (const r of data.regions) {
      // area names ("Hämeen ELY-keskus") are organisations, not places people write in ads
      if (r.level !== 'municipality' && r.level !== 'maakunta') continue;
      for (const n of [r.names.fi, r.names.sv, r.names.en]) if (n) name(n, r.code);
    }
    // sub-regions and customary areas, where the official names do not already say it
    for (const n of data.regionNames)
      if (regions.has(n.region) && !names.has(n.name.toLowerCase())) name(n.name, n.region);
    const areas = new Map<string, string[]>();
    for (const a of data.municipalityAreas) areas.set(a.municipality, [...(areas.get(a.municipality) ?? []), a.area]);
    const postcodes = new Map(data.postalCodes.map((p) => [p.postcode, p.municipality]));
    const localities = new Map(
      data.localities.filter((l) => regions.has(l.municipality)).map((l) => [l.name.toLowerCase(), l.municipality]),
    );
    return new PlaceResolver(regions, names, areas, postcodes, localities);
  }

  has(code: string): boolean {
    return this.regions.has(code);
  }

  ref(code: string, language: Language = 'fi'): RegionRef {
    const r = this.regions.get(code)!;
    return {
      code,
      name: (language === 'sv' ? r.names.sv : language === 'en' ? r.names.en : null) ?? r.names.fi,
      level: r.level,
    };
  }

  /**
   * The region itself and every level above it, lowest first. The area level depends on the date: ELY areas
   * until the end of 2025, elinvoimakeskus areas from 2026.
   */
  rollUp(code: string, date: string, language: Language = 'fi'): RegionRef[] {
    const chain: RegionRef[] = [];
    const r = this.regions.get(code);
    if (!r) return chain;
    chain.push(this.ref(code, language));
    let maakunta: Region | undefined;
    if (r.level === 'municipality') maakunta = r.parent ? this.regions.get(r.parent) : undefined;
    else if (r.level === 'maakunta') maakunta = r;
    if (maakunta && maakunta !== r) chain.push(this.ref(maakunta.code, language));
    if (maakunta) {
      const area = this.areaOf(r.level === 'municipality' ? [r.code] : this.municipalitiesOf(maakunta.code), date);
      if (area) chain.push(this.ref(area, language));
      if (maakunta.parent && this.regions.has(maakunta.parent)) chain.push(this.ref(maakunta.parent, language));
    } else if (
      (r.level === 'ely' || r.level === 'elinvoimakeskus') &&
      r.parent &&
      this.regions.get(r.parent)?.level === 'major_region'
    ) {
      chain.push(this.ref(r.parent, language));
    }
    if (r.level !== 'country' && this.regions.has('FI')) chain.push(this.ref('FI', language));
    return chain;
  }

  /**
   * The maakunta around a municipality, for "Tampereen seudulla", "i Åboregionen": sub-regions (seutukunnat) are
   * no level here, and the region a town's surroundings lie in is the one level that is right. A named area
   * ("Kotka-Haminan seutu") is itself.
   */
  private surroundingsOf(codes: Set<string> | undefined): Set<string> | undefined {
    if (codes?.size !== 1) return undefined;
    const r = this.regions.get([...codes][0]!);
    if (r && r.level !== 'municipality') return codes;
    return r?.parent && this.regions.has(r.parent) ? new Set([r.parent]) : undefined;
  }

  /** "pääkaupunkiseutu", "huvudstadsregionen", "capital region": the maakunta around Helsinki. */
  private capitalRegion(): Set<string> | undefined {
    return this.surroundingsOf(this.names.get('helsinki'));
  }

  private municipalitiesOf(maakunta: string): string[] {
    return [...this.regions.values()]
      .filter((x) => x.level === 'municipality' && x.parent === maakunta)
      .map((x) => x.code);
  }

  /** The area most of the municipalities belong to on the date. */
  private areaOf(municipalities: string[], date: string): string | undefined {
    const wanted = date < AREA_REFORM ? 'ely' : 'elinvoimakeskus';
    const votes = new Map<string, number>();
    for (const m of municipalities) {
      for (const a of this.areas.get(m) ?? []) {
        const area = this.regions.get(a);
        if (area?.level !== wanted) continue;
        const from = area.validFrom;
        const to = area.validTo;
        if ((from && date < from) || (to && date > to)) continue;
        votes.set(a, (votes.get(a) ?? 0) + 1);
      }
    }
    return [...votes].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0];
  }

  /** A region as given in metadata: a code (KU398, MK07, EVK03, FI1C, FI), a municipality number, a postal code or a name. */
  resolveMetadata(value: string): Place | PlaceProblem {
    const raw = value.trim();
    const upper = raw.toUpperCase();
    if (CODE.test(upper)) {
      return this.regions.has(upper)
        ? { code: upper, level: this.regions.get(upper)!.level, source: 'metadata', text: raw }
        : { text: raw, source: 'metadata', reason: 'unknown' };
    }
    if (/^\d{3}$/.test(raw)) {
      const code = `KU${raw}`;
      return this.regions.has(code)
        ? { code, level: 'municipality', source: 'metadata', text: raw }
        : { text: raw, source: 'metadata', reason: 'unknown' };
    }
    if (/^\d{5}$/.test(raw)) {
      const code = this.postcodes.get(raw);
      return code && this.regions.has(code)
        ? { code, level: 'municipality', source: 'metadata', text: raw }
        : { text: raw, source: 'metadata', reason: 'unknown' };
    }
    const codes = this.names.get(raw.toLowerCase()) ?? this.namesOfWord(raw) ?? this.localityOf(raw.toLowerCase());
    return this.placeOrProblem(codes, { text: raw, source: 'metadata' });
  }

  private placeOrProblem(
    codes: Set<string> | undefined,
    at: { text: string; source: 'metadata' | 'text'; start?: number; end?: number },
  ): Place | PlaceProblem {
    if (!codes || codes.size === 0) return { ...at, reason: 'unknown' };
    if (codes.size > 1) return { ...at, reason: 'ambiguous', candidates: [...codes].sort() };
    const code = [...codes][0]!;
    return { ...at, code, level: this.regions.get(code)!.level };
  }

  /** The municipality a postal locality lies in, as a set of one region code. */
  private localityOf(lower: string): Set<string> | undefined {
    const code = this.localities.get(lower);
    return code === undefined ? undefined : new Set([code]);
  }

  private readonly readings = new Map<string, VoikkoReading[]>();

  /** Voikko's readings of a word, remembered (place names recur in every text of a region). */
  private analyze(word: string): VoikkoReading[] {
    let r = this.readings.get(word);
    if (!r) {
      r = this.voikko.analyze(word);
      if (this.readings.size > 50_000) this.readings.clear();
      this.readings.set(word, r);
    }
    return r;
  }

  /**
   * Region codes named by one (possibly inflected) Finnish word, through its Voikko base forms; a capitalised
   * word also through a common noun's ("Suupohjassa": suupohja), for names Voikko does not know as places.
   */
  private namesOfWord(word: string): Set<string> | undefined {
    const readings = this.analyze(word);
    const bases = placeNames(readings);
    if (/^\p{Lu}/u.test(word)) bases.push(...readings.map((r) => r.baseform));
    for (const name of bases) {
      const codes = this.names.get(name.toLowerCase());
      if (codes) return codes;
    }
    return undefined;
  }

  /**
   * Places named in a sentence: capitalised words whose base form (Finnish: Voikko; Swedish and English: the word,
   * or without a genitive s) is a municipality or maakunta, also two-word names ("Egentliga Finland"), Finnish
   * inhabitant adjectives ("lahtelaisen" → Lahti), and postal localities, which resolve to today's municipality
   * ("Korpilahdella" → Jyväskylä, "i Kvevlax" → Korsholm). A capitalised word that Voikko knows only as a place
   * name but that is not a Finnish region ("Tukholmassa") is reported as unknown.
   */
  findInText(text: string, sentence: Sentence, language: Language): (Place | PlaceProblem)[] {
    const tokens = tokenize(text.slice(sentence.start, sentence.end), sentence.start);
    const found: (Place | PlaceProblem)[] = [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      const capital = /^\p{Lu}/u.test(t.text);
      const next = tokens[i + 1];
      if (capital && next && /^\p{Lu}/u.test(next.text) && text.slice(t.end, next.start) === ' ') {
        const codes =
          this.names.get(`${t.text} ${next.text}`.toLowerCase()) ??
          (language === 'fi'
            ? placeNames(this.analyze(next.text))
                .map((n) => this.names.get(`${t.text} ${n}`.toLowerCase()))
                .find((c) => c !== undefined)
            : undefined);
        if (codes) {
          found.push(
            this.placeOrProblem(codes, {
              text: text.slice(t.start, next.end),
              source: 'text',
              start: t.start,
              end: next.end,
            }),
          );
          i++;
          continue;
        }
      }
      const at = { text: t.text, source: 'text' as const, start: t.start, end: t.end };
      if (CAPITAL_REGION[language].test(t.text)) {
        const codes = this.capitalRegion();
        if (codes) found.push(this.placeOrProblem(codes, at));
        continue;
      }
      if (language === 'fi') {
        // "Tampereen seudulla": the town's surroundings
        if (capital && next && text.slice(t.end, next.start) === ' ' && /^seu[td]u/iu.test(next.text)) {
          const around = this.surroundingsOf(this.namesOfWord(t.text));
          if (around) {
            found.push(this.placeOrProblem(around, { ...at, text: text.slice(t.start, next.end), end: next.end }));
            i++;
            continue;
          }
        }
        // only a capitalised word or an inhabitant adjective ("-lainen", "-läinen" in any case) can name a place
        if (!capital && !/l[aä]i/u.test(t.text)) continue;
        const readings = this.analyze(t.text);
        const demonym = inhabitantPlace(readings);
        if (!capital && !demonym) continue;
        const names = demonym ? [demonym] : placeNames(readings);
        // a village or a municipality merged away only where Voikko reads the word as a place name ("Kello" is a clock)
        const codes =
          names.map((n) => this.names.get(n.toLowerCase())).find((c) => c !== undefined) ??
          (demonym ? [demonym] : readings.filter((r) => r.wordClass === 'paikannimi').map((r) => r.baseform))
            .map((n) => this.localityOf(n.toLowerCase()))
            .find((c) => c !== undefined);
        if (codes) found.push(this.placeOrProblem(codes, at));
        else if (capital && readings.length > 0 && readings.every((r) => r.wordClass === 'paikannimi'))
          found.push({ ...at, reason: 'unknown' });
        continue;
      }
      if (!capital) continue;
      const lower = t.text.toLowerCase();
      const region = language === 'sv' ? /^(.{2,}?)-?regionen$/u.exec(lower) : null;
      // "Jakobstadsregionen": the town's name, with or without its linking s
      const around =
        region && this.surroundingsOf(this.names.get(region[1]!) ?? this.names.get(region[1]!.replace(/s$/u, '')));
      if (around) {
        found.push(this.placeOrProblem(around, at));
        continue;
      }
      const codes =
        this.names.get(lower) ??
        (lower.endsWith('s') ? this.names.get(lower.slice(0, -1)) : undefined) ??
        (lower.endsWith("'s") ? this.names.get(lower.slice(0, -2)) : undefined) ??
        // a village's capital is no sentence's first word
        (i > 0 ? this.localityOf(lower) : undefined);
      if (codes) found.push(this.placeOrProblem(codes, at));
    }
    return found;
  }
}

/** The capital region, a name with no municipality of its own. */
const CAPITAL_REGION: Record<Language, RegExp> = {
  fi: /^pääkaupunkiseu(?:tu|du|dun|dulla|dulle|dulta|tua)$/iu,
  sv: /^huvudstadsregionen$/iu,
  en: /^$/u,
};

/** Voikko base forms that can name a place: place-name readings first, then other capitalised ones. */
function placeNames(readings: VoikkoReading[]): string[] {
  const names = readings.filter((r) => r.wordClass === 'paikannimi').map((r) => r.baseform);
  for (const r of readings) if (/^\p{Lu}/u.test(r.baseform) && !names.includes(r.baseform)) names.push(r.baseform);
  return names;
}

/** "lahtelainen" (+lahte(Lahti)+lai+nen): the place an inhabitant adjective is derived from. */
function inhabitantPlace(readings: VoikkoReading[]): string | undefined {
  for (const r of readings) {
    const root = /^\+[^(]*\(([^)]+)\)\+l[aä]i\+nen\(\+nen\)$/u.exec(r.wordbases)?.[1];
    if (root && /^\p{Lu}/u.test(root)) return root.replace(/=/g, '');
  }
  return undefined;
}
