// index.js — a SQLite source with warehouse mode, on syncline/sdk/sql.
import { createHash } from "node:crypto";
import { isAbsolute, join } from "node:path";
import Database from "better-sqlite3";
import { ConfigurationError, canonicalize, classify, defineSource, inChunks } from "syncline/sdk";
import * as v from "valibot";
import { sqlite } from "./dialect.js";

/** One connection per source instance, with the md5() the dialect's row hash calls. */
function database(ctx) {
  let db = ctx.state.get("db");
  if (!db) {
    const path = isAbsolute(ctx.config.path) ? ctx.config.path : join(ctx.baseDir, ctx.config.path);
    db = new Database(path, { fileMustExist: true });
    db.function("md5", { deterministic: true }, (text) =>
      text === null ? null : createHash("md5").update(String(text)).digest("hex"),
    );
    ctx.state.set("db", db);
  }
  return db;
}

/** Streams a query's rows with canonical values, in chunks. */
function rows(ctx, sql) {
  const cursor = database(ctx).prepare(sql).iterate();
  const canonical = (function* () {
    for (const row of cursor) {
      const out = {};
      for (const [column, value] of Object.entries(row)) out[column] = canonicalize(value);
      yield out;
    }
  })();
  return inChunks(canonical, 1000, ctx.signal);
}

export default defineSource({
  name: "sqlite",
  description: "A SQLite database file",
  config: v.object({ path: v.string() }),

  async check(ctx) {
    try {
      database(ctx).prepare("SELECT 1").get();
    } catch (error) {
      throw new ConfigurationError(`cannot open ${ctx.config.path}: ${error.message}`, { fix: "check `path`" });
    }
  },

  async columns(ctx, model) {
    const statement = database(ctx).prepare(`SELECT * FROM ${sqlite.relation(model)} AS m LIMIT 0`);
    return statement.columns().map((column) => ({ name: column.name, type: column.type ?? "" }));
  },

  read(ctx, model, options) {
    return rows(ctx, sqlite.select(model, options.columns));
  },

  /** `diff: warehouse`: the engine writes the SQL in `sqlite`; this only runs it. */
  warehouse: {
    dialect: sqlite,
    async execute(ctx, statements) {
      const db = database(ctx);
      try {
        for (const sql of statements) db.exec(sql);
      } catch (error) {
        if (db.inTransaction) db.exec("ROLLBACK");
        throw classify(error);
      }
    },
    query(ctx, sql) {
      return rows(ctx, sql);
    },
  },

  async close(ctx) {
    ctx.state.get("db")?.close();
    ctx.state.delete("db");
  },
});
