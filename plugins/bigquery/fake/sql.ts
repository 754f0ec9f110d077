/**
 * BigQuery's GoogleSQL quotes identifiers with backticks; the DuckDB the fake runs on uses
 * double quotes. Rewrites `a`.`b` (and `a.b.c` paths) outside string literals, and drops the
 * fake's own project from three-part names (the default project, as in BigQuery).
 */
export function toDuckSql(sql: string, projectId: string): string {
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
    } else {
      out += char;
      i++;
    }
  }
  return out.replaceAll(`"${projectId}".`, "");
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
