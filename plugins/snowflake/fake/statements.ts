/** A bind variable as the driver sends it in a query-request's `bindings`. */
export interface Binding {
  type: string;
  value: string | null | Array<string | null>;
}

/**
 * Snowflake-only statements and bind variables, made runnable on the DuckDB the fake uses:
 * ALTER SESSION is accepted and ignored (the fake has no session parameters), and positional
 * binds (`?`) are written into the SQL as literals — an array binding (one value list per
 * row, the driver's bulk insert) turns `VALUES (?, …)` into one tuple per row.
 */
export function prepareSql(sql: string, bindings: Record<string, Binding> | undefined): string {
  if (/^ALTER\s+SESSION\b/i.test(sql)) return "SELECT 'Statement executed successfully.' AS status";
  if (!bindings || Object.keys(bindings).length === 0) return sql;
  const binds = Object.keys(bindings)
    .sort((a, b) => Number(a) - Number(b))
    .map((key) => bindings[key]!);
  const rows = Array.isArray(binds[0]!.value) ? (binds[0]!.value as unknown[]).length : undefined;
  if (rows === undefined)
    return substitute(
      sql,
      binds.map((b) => literal(b.type, b.value as string | null)),
    );
  const values = /\bVALUES\s*(\(.*\))\s*$/is.exec(sql);
  if (!values) throw new Error("the fake supports array binding only for INSERT … VALUES (?, …)");
  const tuples = Array.from({ length: rows }, (_, row) =>
    substitute(
      values[1]!,
      binds.map((b) => literal(b.type, (b.value as Array<string | null>)[row] ?? null)),
    ),
  );
  return `${sql.slice(0, values.index)}VALUES ${tuples.join(", ")}`;
}

function literal(type: string, value: string | null): string {
  if (value === null) return "NULL";
  if (type === "FIXED" || type === "REAL") return String(Number(value));
  if (type === "BOOLEAN") return value === "true" ? "TRUE" : "FALSE";
  return `'${value.replaceAll("'", "''")}'`;
}

/** Replaces each `?` outside string literals with the next value. */
function substitute(sql: string, values: string[]): string {
  let out = "";
  let next = 0;
  let quoted = false;
  for (const char of sql) {
    if (char === "'") quoted = !quoted;
    out += char === "?" && !quoted ? (values[next++] ?? "NULL") : char;
  }
  return out;
}
