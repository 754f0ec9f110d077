import type { Model } from "syncline/sdk";

/** Quotes one identifier with backticks (GoogleSQL). */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll("\\", "\\\\").replaceAll("`", "\\`")}\``;
}

/** A table as `project`.`dataset`.`table` (database = project, schema = dataset). */
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
