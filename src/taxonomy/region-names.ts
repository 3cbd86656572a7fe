import { join } from 'node:path';
import { PROJECT_ROOT } from '../base/paths.js';
import { readCsv } from './csv.js';

/**
 * Names people use for parts of Finland that are no level of the official divisions: sub-regions (seutukunnat)
 * named otherwise than by their centre town ("Suupohja", "Åboland"), former regions ("Östra Nyland") and
 * customary areas ("Itä-Suomi", "Savo"). Each resolves to the smallest official region that holds it.
 */
export const REGION_NAMES_FILE = join(PROJECT_ROOT, 'taxonomy', 'region-names.csv');

/** The names (fi, sv, en; `|` separates further forms of one name) of the regions in `known`. */
export async function readRegionNames(known: Set<string>): Promise<{ name: string; region: string }[]> {
  const names: { name: string; region: string }[] = [];
  for await (const r of readCsv(REGION_NAMES_FILE, { required: ['region', 'name_fi', 'name_sv', 'name_en'] })) {
    const region = r.get('region');
    if (!known.has(region)) continue;
    for (const column of ['name_fi', 'name_sv', 'name_en'])
      for (const name of r.get(column).split('|')) if (name.trim()) names.push({ name: name.trim(), region });
  }
  return names;
}
