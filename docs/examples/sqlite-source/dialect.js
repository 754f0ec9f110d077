// dialect.js — SQLite in Syncline's SQL: what differs from the ANSI defaults of BaseDialect.
import { BaseDialect } from "syncline/sdk/sql";

export class SqliteDialect extends BaseDialect {
  name = "sqlite";
  textType = "TEXT";
  integerType = "INTEGER";

  /** SQLite has no schemas: Syncline's tables live beside the model's, named `<schema>__<table>`. */
  table(ref) {
    return this.quoteIdent(`${ref.schema}__${ref.name}`);
  }

  createSchema() {
    return "SELECT 1";
  }

  /** A value as a JSON string: never empty, control characters escaped (the row hash needs both). */
  jsonText(expr) {
    return `json_quote(${expr})`;
  }

  joinSeparated(parts) {
    return `concat_ws(char(31), ${parts.join(", ")})`;
  }

  /** SQLite has no md5(): the source registers it on each connection (index.js). */
  md5(expr) {
    return `md5(${expr})`;
  }
}

export const sqlite = new SqliteDialect();
