import type { Model } from "syncline/sdk";

/** Quotes an identifier (double quotes, doubled inside): exact, case-sensitive names. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function relationSql(model: Model): string {
  if (model.kind === "sql") return `(${model.sql.trim().replace(/;\s*$/, "")})`;
  const { database, schema, name } = model.relation;
  // Postgres cannot query across databases; the database part is accepted when it is the
  // connected one, and the server reports the mismatch otherwise.
  return [database, schema, name]
    .filter((part): part is string => part !== undefined && part !== "")
    .map(quoteIdent)
    .join(".");
}

export function selectSql(model: Model, columns: readonly string[]): string {
  return `SELECT ${columns.map(quoteIdent).join(", ")} FROM ${relationSql(model)} AS m`;
}
