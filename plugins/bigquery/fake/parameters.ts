/** A named query parameter as jobs.insert carries it (configuration.query.queryParameters). */
export interface QueryParameter {
  name?: string;
  parameterType?: { type?: string; arrayType?: { type?: string } };
  parameterValue?: { value?: string | null; arrayValues?: Array<{ value?: string | null }> };
}

/**
 * The named parameters as DuckDB literals, by name: scalars of the types the fake's callers
 * send (STRING, INT64, BOOL …) and arrays of them (`UNNEST(@keys)` reads a DuckDB list as
 * BigQuery reads an ARRAY). Positional parameters are refused, as the fake does not need them.
 */
export function parameterLiterals(parameters: QueryParameter[] | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const parameter of parameters ?? []) {
    if (!parameter.name) throw new Error("the fake supports named query parameters only");
    const type = parameter.parameterType?.type ?? "STRING";
    const value = parameter.parameterValue ?? {};
    if (type === "ARRAY") {
      const element = parameter.parameterType?.arrayType?.type ?? "STRING";
      const items = (value.arrayValues ?? []).map((item) => literal(element, item.value ?? null));
      out.set(parameter.name, `[${items.join(", ")}]`);
    } else out.set(parameter.name, literal(type, value.value ?? null));
  }
  return out;
}

function literal(type: string, value: string | null): string {
  if (value === null) return "NULL";
  if (type === "INT64" || type === "FLOAT64" || type === "NUMERIC") return String(Number(value));
  if (type === "BOOL") return value === "true" ? "TRUE" : "FALSE";
  return `'${value.replaceAll("'", "''")}'`;
}
