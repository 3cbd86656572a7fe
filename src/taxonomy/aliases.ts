import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { LANGUAGES, type Language } from '../domain/language.js';
import type { Alias } from '../domain/taxonomy.js';
import { readCsv, TaxonomyFileError } from './csv.js';

export interface AliasProblem {
  file: string;
  line: number;
  reason: string;
}

/**
 * Reads local synonym files (`lang,alias,uri[,note]`). Bad rows are reported, not fatal: one typo must not
 * take the curated list down.
 */
export async function readAliases(paths: string[]): Promise<{ aliases: Alias[]; problems: AliasProblem[] }> {
  const aliases: Alias[] = [];
  const problems: AliasProblem[] = [];
  for (const path of paths) {
    const file = basename(path);
    if (!existsSync(path)) {
      problems.push({ file, line: 0, reason: 'file not found' });
      continue;
    }
    try {
      for await (const row of readCsv(path, { required: ['lang', 'alias', 'uri'] })) {
        const lang = row.get('lang');
        const alias = row.get('alias');
        const uri = row.get('uri');
        if (!(LANGUAGES as readonly string[]).includes(lang))
          problems.push({ file, line: row.line, reason: `lang ${JSON.stringify(lang)} is not fi, sv or en` });
        else if (!alias) problems.push({ file, line: row.line, reason: 'empty alias' });
        else if (!/^https?:\/\/\S+$/.test(uri))
          problems.push({ file, line: row.line, reason: `uri ${JSON.stringify(uri)} is not a URI` });
        else aliases.push({ lang: lang as Language, alias, uri, file, line: row.line });
      }
    } catch (err) {
      if (err instanceof TaxonomyFileError) problems.push({ file, line: err.line ?? 0, reason: err.reason });
      else throw err;
    }
  }
  return { aliases, problems };
}
