// fixture.js — a SQLite database and a config that syncs it with `diff: warehouse` (tests only).
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";

export const CONFIG = `state: ./state.db
plugins:
  - ./sqlite-source/index.js
sources:
  app:
    type: sqlite
    path: ./app.db
destinations:
  out:
    type: file
    path: ./out
syncs:
  people:
    source: app
    model:
      table: people
    primaryKey: id
    destination: out
    object: people
    mode: mirror
    diff: warehouse
    mapping:
      email: email
      plan: plan
`;

/** Writes the plugin (as ./sqlite-source), the config and app.db into `dir`; returns the open database. */
export function createExample(dir) {
  mkdirSync(join(dir, "sqlite-source"), { recursive: true });
  for (const file of ["index.js", "dialect.js"]) {
    copyFileSync(join(import.meta.dirname, file), join(dir, "sqlite-source", file));
  }
  writeFileSync(join(dir, "syncline.yaml"), CONFIG);
  const db = new Database(join(dir, "app.db"));
  db.exec(`CREATE TABLE people (id INTEGER PRIMARY KEY, email TEXT, plan TEXT);
    INSERT INTO people VALUES (1, 'ada@example.com', 'pro'), (2, 'bob@example.com', NULL), (3, 'cy "q" \n', 'free');`);
  return db;
}
