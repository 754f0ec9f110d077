/**
 * BigQuery's GoogleSQL quotes identifiers with backticks; the DuckDB the fake runs on uses
 * double quotes. Rewrites `a`.`b` (and `a.b.c` paths) outside string literals, and drops the
 * fake's own project from three-part names (the default project, as in BigQuery). Named query
 * parameters (`@name`) become the DuckDB literals in `params` (parameters.ts).
 */
export function toDuckSql(googleSql: string, projectId: string, params = new Map<string, string>()): string {
  // UNNEST(@array) AS x names the element x; DuckDB names the table x and its column `unnest`.
  const sql = googleSql.replace(/\bUNNEST\((@\w+)\) AS (\w+)/gi, "UNNEST($1) AS $2($2)");
  let out = "";
  let i = 0;
  while (i < sql.length) {
    const char = sql[i]!;
    if (char === "'") {
      // A GoogleSQL literal escapes with backslashes; DuckDB's doubles the quote.
      const end = closing(sql, i, char);
      out += `'${unescapeLiteral(sql.slice(i + 1, end)).replaceAll("'", "''")}'`;
      i = end + 1;
    } else if (char === '"') {
      const end = closing(sql, i, char);
      out += sql.slice(i, end + 1);
      i = end + 1;
    } else if (char === "`") {
      const end = closing(sql, i, "`");
      const path = sql.slice(i + 1, end).split(".");
      out += path.map((part) => `"${part.replaceAll('"', '""')}"`).join(".");
      i = end + 1;
    } else if (char === "@" && /[A-Za-z_]/.test(sql[i + 1] ?? "")) {
      const name = /^@(\w+)/.exec(sql.slice(i))![1]!;
      const value = params.get(name);
      if (value === undefined) throw new Error(`Query parameter '${name}' not found`);
      out += value;
      i += name.length + 1;
    } else {
      out += char;
      i++;
    }
  }
  return translateFunctions(out.replaceAll(`"${projectId}".`, ""));
}

/**
 * GoogleSQL that the ordered read writes and DuckDB spells otherwise: SAFE_CAST is TRY_CAST;
 * MD5 returns BYTES, so TO_HEX(MD5(x)) is DuckDB's md5 (already hex, lower case); CAST(x AS
 * BYTES) of a STRING is its UTF-8 bytes; a job's temporary result table (dataset `_anon`, see
 * fake.ts) is the fake's own temporary table.
 */
function translateFunctions(sql: string): string {
  return sql
    .replace(/\bSAFE_CAST\(/gi, "TRY_CAST(")
    .replace(/\bTO_HEX\(MD5\(/gi, "lower(md5(")
    .replace(/\bCAST\(([^()]+) AS BYTES\)/gi, "encode($1)")
    .replaceAll('"_anon".', "temp.");
}

const ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", "\\": "\\", "'": "'", '"': '"' };

/** The common escapes; others (`\xDE` …) pass through, as DuckDB reads them in BLOB literals. */
function unescapeLiteral(text: string): string {
  return text.replace(/\\([nrt\\'"])/g, (_, char: string) => ESCAPES[char]!);
}

function closing(sql: string, start: number, quote: string): number {
  for (let i = start + 1; i < sql.length; i++) {
    if (sql[i] === "\\") i++;
    else if (sql[i] === quote) return i;
  }
  return sql.length - 1;
}
