import { spawn } from "node:child_process";
// A third-party plugin as a user installs it: the example package copied into node_modules
// next to syncline.yaml, listed under `plugins:`, and used through the real CLI.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FAKE_API_KEY, startNotesFake } from "../../examples/third-party-plugin/fake.js";
import { BIN } from "../support/cli.ts";
import { collect } from "../support/collect.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const EXAMPLE = join(ROOT, "examples", "third-party-plugin");
const dir = mkdtempSync(join(tmpdir(), "syncline-plugin-"));
let notes: Awaited<ReturnType<typeof startNotesFake>>;

/** Copies the example package into `<dir>/node_modules/<name>`, as `npm install` would (no tests). */
function install(name: string, edit?: (file: string, text: string) => string): void {
  const target = join(dir, "node_modules", name);
  cpSync(EXAMPLE, target, { recursive: true, filter: (source) => !source.endsWith(".test.ts") });
  for (const file of ["package.json", "index.js"]) {
    const text = readFileSync(join(target, file), "utf8");
    const renamed = text.replaceAll("syncline-plugin-example-crm", name);
    writeFileSync(join(target, file), edit ? edit(file, renamed) : renamed);
  }
}

function writeConfig(file: string, plugin: string, type: string): string {
  const path = join(dir, file);
  writeFileSync(
    path,
    `state: ./${basename(file, ".yaml")}.db
plugins: ["${plugin}"]
sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  crm:
    type: ${type}
    apiKey: \${NOTES_API_KEY}
    baseUrl: ${notes.url}
syncs:
  notes:
    source: wh
    model: { table: notes }
    primaryKey: id
    destination: crm
    object: notes
    mode: mirror
    mapping: { title: title, body: body }
`,
  );
  return path;
}

/** Runs the CLI without blocking this process, which serves the fake CRM; only PATH and the plugin's key in its environment. */
function cli(...args: string[]) {
  return collect(
    spawn(process.execPath, [BIN, ...args], { cwd: dir, env: { PATH: process.env.PATH, NOTES_API_KEY: FAKE_API_KEY } }),
  );
}

async function warehouse(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  notes = await startNotesFake({ rateLimit: { requests: 1_000, windowMs: 1_000 } });
  await warehouse(
    "CREATE TABLE notes AS SELECT i AS id, 'Note ' || i AS title, 'Body of note ' || i AS body FROM range(1, 121) t(i)",
  );
});

afterAll(async () => {
  await notes.close();
  rmSync(dir, { recursive: true, force: true });
});

const held = () =>
  notes.fake
    .notes()
    .map((note) => [note.externalId, note.title, note.body])
    .sort((a, b) => Number(a[0]) - Number(b[0]));

describe("a third-party plugin installed from npm", () => {
  it("syncs through the CLI: every record arrives, then only the delta and the deletes", async () => {
    install("syncline-plugin-example-crm");
    const config = writeConfig("syncline.yaml", "syncline-plugin-example-crm", "example-notes-crm");

    const first = await cli("run", "notes", "--config", config, "--json");
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ status: "succeeded", counts: { succeeded: { added: 120 } } });
    expect(held()).toEqual(
      Array.from({ length: 120 }, (_, i) => [String(i + 1), `Note ${i + 1}`, `Body of note ${i + 1}`]),
    );
    const upserts = notes.fake.calls.filter((call) => call.path === "/v1/notes/batch");
    expect(Math.max(...upserts.map((call) => call.records))).toBeLessThanOrEqual(50);

    await warehouse("UPDATE notes SET title = 'Edited' WHERE id = 7; DELETE FROM notes WHERE id IN (100, 101)");
    const writes = notes.fake.writes.length;
    const second = await cli("run", "notes", "--config", config, "--json");
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).counts.succeeded).toEqual({ added: 0, changed: 1, removed: 2 });
    expect(
      notes.fake.writes
        .slice(writes)
        .map((write) => write.op)
        .sort(),
    ).toEqual(["delete", "delete", "update"]);
    expect(held()).toHaveLength(118);
    expect(held().find((note) => note[0] === "7")?.[1]).toBe("Edited");
  });

  it("refuses a plugin built for another plugin API at start, with exit status 2, naming it", async () => {
    install("syncline-plugin-future-crm", (file, text) =>
      file === "index.js"
        ? text
            .replace("defineDestination({", "defineDestination({\n  apiVersion: 2,")
            .replace('"example-notes-crm"', '"future-crm"')
        : text,
    );
    const config = writeConfig("future.yaml", "syncline-plugin-future-crm", "future-crm");
    const calls = notes.fake.calls.length;

    const result = await cli("run", "notes", "--config", config, "--json");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'plugin "syncline-plugin-future-crm" is built for plugin API 2, this Syncline speaks 1',
    );
    expect(result.stderr).toContain("install a version of the plugin built for this Syncline");
    expect(notes.fake.calls.length).toBe(calls);
  });
});
