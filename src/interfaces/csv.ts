/**
 * One CSV cell (RFC 4180): quoted when it holds a quote, a comma or a line break. Text that a spreadsheet would
 * run as a formula (starting with =, +, -, @, a tab or a carriage return) gets a leading apostrophe, as OWASP
 * advises; numbers stay numbers.
 */
export function csvCell(value: unknown): string {
  let s = String(value ?? '');
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
