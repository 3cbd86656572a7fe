/** Code-unit order (PostgreSQL's C collation for text without astral characters): deterministic, and cheap in hot sorts. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
