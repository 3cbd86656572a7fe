import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { TaxonomyFileError } from './csv.js';

/** The official files the importer understands, by name (`.csv` or `.csv.gz`). */
export const SOURCE_FILES = {
  skills: 'skills_en.csv',
  occupations: 'occupations_en.csv',
  skillGroups: 'skillGroups_en.csv',
  // optional: ESCO's own Finnish and Swedish skill-group files, from the ESCO portal's download in those languages
  skillGroupsFi: 'skillGroups_fi.csv',
  skillGroupsSv: 'skillGroups_sv.csv',
  iscoGroupsEn: 'ISCOGroups_en.csv',
  skillBroader: 'broaderRelationsSkillPillar.csv',
  occupationSkills: 'occupationSkillRelations.csv',
  skillLabelsFiSv: 'esco_v1.1.1_skills_prefLabels_fi_sv_en.csv',
  occupationLabelsFiSv: 'esco_v1.1.0_occupations_and_isco_labels_fi_sv_en.csv',
  occupationsFi: 'occupations_fi.csv',
  isco: 'isco08_groups_fi_sv_en.csv',
  tol: 'tol2008_sections_divisions_fi_sv_en.csv',
  nace: 'nace_rev2_en_eurostat.csv',
  municipalities: 'kunnat_2025_to_maakunta_ely_elinvoimakeskus.csv',
  maakunnat: 'maakunnat_2025_fi_sv_en.csv',
  ely: 'ely_keskukset_until_2025.csv',
  elinvoimakeskukset: 'elinvoimakeskukset_from_2026.csv',
  postalCodes: 'postinumerot_posti_2024-04.csv',
} as const;

export type SourceKey = keyof typeof SOURCE_FILES;
export type SourcePaths = Partial<Record<SourceKey, string>>;

const REQUIRED: SourceKey[] = ['skills', 'occupations', 'iscoGroupsEn'];

export interface ResolvedSources {
  root: string;
  paths: SourcePaths;
  escoVersion: string;
}

function walk(dir: string, depth: number, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && depth > 0) walk(path, depth - 1, out);
    else if (entry.isFile()) out.push(path);
  }
}

function versionOf(dir: string): string {
  return /v(\d+\.\d+(?:\.\d+)?)/.exec(basename(dir))?.[1] ?? 'unknown';
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Finds the source files under `root` (up to three folders deep). The ESCO English files are taken from the
 * folder that holds the skills file (the newest ESCO version when several do).
 */
export function resolveSources(root: string): ResolvedSources {
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new TaxonomyFileError(root, undefined, 'not a directory');
  }
  const files: string[] = [];
  walk(root, 3, files);
  const byName = new Map<string, string[]>();
  for (const f of files) {
    const name = basename(f).replace(/\.gz$/, '');
    byName.set(name, [...(byName.get(name) ?? []), f]);
  }
  const skillFiles = (byName.get(SOURCE_FILES.skills) ?? []).sort((a, b) =>
    compareVersions(versionOf(dirname(b)), versionOf(dirname(a))),
  );
  const escoDir = skillFiles[0] ? dirname(skillFiles[0]) : undefined;
  const paths: SourcePaths = {};
  for (const [key, name] of Object.entries(SOURCE_FILES) as [SourceKey, string][]) {
    const candidates = byName.get(name) ?? [];
    const inEsco = escoDir ? candidates.find((c) => dirname(c) === escoDir) : undefined;
    const chosen = inEsco ?? candidates.sort()[0];
    if (chosen) paths[key] = chosen;
  }
  const missing = REQUIRED.filter((k) => !paths[k]);
  if (missing.length > 0) {
    throw new TaxonomyFileError(
      root,
      undefined,
      `required file(s) not found: ${missing.map((k) => `${SOURCE_FILES[k]}[.gz]`).join(', ')}`,
    );
  }
  return { root, paths, escoVersion: escoDir ? versionOf(escoDir) : 'unknown' };
}

/**
 * A hash over every source file's path and bytes, and over the project's own files the import also reads:
 * the same data gives the same version.
 */
export async function hashSources(
  sources: ResolvedSources,
  projectFiles: Record<string, string> = {},
): Promise<string> {
  const hash = createHash('sha256');
  const entries = [
    ...Object.entries(sources.paths).map(([key, path]) => [key, relative(sources.root, path), path] as const),
    ...Object.entries(projectFiles).map(([key, path]) => [key, basename(path), path] as const),
  ].sort(([a], [b]) => a.localeCompare(b));
  for (const [key, name, path] of entries) {
    hash.update(`${key}\0${name}\0`);
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
