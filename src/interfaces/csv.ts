/** How a CSV file is written: RFC 4180 for programs, or as a spreadsheet in a Finnish or Swedish locale reads it. */
export interface CsvDialect {
  separator: ',' | ';';
  decimalComma: boolean;
  /** a UTF-8 byte order mark first: without it Excel reads UTF-8 as the legacy code page */
  bom: boolean;
}

export const CSV_LOCALES = ['en', 'fi', 'sv'] as const;
export type CsvLocale = (typeof CSV_LOCALES)[number];

/** RFC 4180 for en; Excel in Finnish and Swedish uses `;` between values and a decimal comma. */
export const csvDialect = (locale: CsvLocale = 'en'): CsvDialect =>
  locale === 'en'
    ? { separator: ',', decimalComma: false, bom: false }
    : { separator: ';', decimalComma: true, bom: true };

/**
 * One CSV cell: quoted when it holds a quote, the separator or a line break. Text that a spreadsheet would run as a
 * formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP advises;
 * numbers stay numbers, with the dialect's decimal mark.
 */
export function csvCell(value: unknown, dialect: CsvDialect = csvDialect()): string {
  if (typeof value === 'number' && dialect.decimalComma) return String(value).replace('.', ',');
  let s = String(value ?? '');
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  const special = dialect.separator === ';' ? /[";\n\r]/ : /[",\n\r]/;
  return special.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A whole CSV text: comment lines (`# …`: the attribution, the filters), the header and the rows. */
export function csvDocument<R>(
  columns: (keyof R & string)[],
  rows: R[],
  dialect: CsvDialect,
  comments: string[] = [],
): string {
  const line = (cells: unknown[]) => cells.map((c) => csvCell(c, dialect)).join(dialect.separator);
  const lines = [
    // comment lines as they are: a parser told of comments skips them, a spreadsheet shows them above the table
    ...comments.map((c) => `# ${c.replace(/[\r\n]+/g, ' ')}`),
    columns.join(dialect.separator),
    ...rows.map((r) => line(columns.map((c) => r[c]))),
  ];
  return `${dialect.bom ? '\uFEFF' : ''}${lines.join('\n')}\n`;
}
