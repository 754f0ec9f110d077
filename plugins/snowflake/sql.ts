import type { Model } from "syncline/sdk";

/** Quotes an identifier: Snowflake stores unquoted names in upper case, quoted ones exactly. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function relationSql(model: Model): string {
  if (model.kind === "sql") return `(${model.sql.trim().replace(/;\s*$/, "")})`;
  const { database, schema, name } = model.relation;
  return [database, schema, name]
    .filter((part): part is string => part !== undefined && part !== "")
    .map(quoteIdent)
    .join(".");
}

export function selectSql(model: Model, columns: readonly string[]): string {
  return `SELECT ${columns.map(quoteIdent).join(", ")} FROM ${relationSql(model)} AS m`;
}
