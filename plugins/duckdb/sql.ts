import type { Model } from "syncline/sdk";

/** Quotes an identifier for DuckDB (double quotes, doubled inside). */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function relationSql(model: Model): string {
  if (model.kind === "sql") return `(${model.sql.trim().replace(/;\s*$/, "")})`;
  const { database, schema, name } = model.relation;
  return [database, schema, name]
    .filter((part) => part !== undefined)
    .map((part) => quoteIdent(part!))
    .join(".");
}

export function selectSql(model: Model, columns: readonly string[]): string {
  return `SELECT ${columns.map(quoteIdent).join(", ")} FROM ${relationSql(model)} AS m`;
}
