import { postgresDialect } from "syncline/sdk/sql";

/**
 * Quotes an identifier (double quotes, doubled inside): exact, case-sensitive names. The
 * destination's SQL quotes with it; the source side uses `postgresDialect` directly.
 */
export function quoteIdent(name: string): string {
  return postgresDialect.quoteIdent(name);
}
