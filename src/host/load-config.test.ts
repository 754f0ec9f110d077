import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.ts";

const BASE = `
sources:
  wh: { type: duckdb, path: ":memory:" }
destinations:
  out: { type: file, path: ./out }
syncs:
  contacts:
    source: wh
    model: { sql: "select 1 as id, 'a' as email" }
    primaryKey: id
    destination: out
    object: contacts
    mapping: { email: email }
`;

function write(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-config-"));
  const file = join(dir, "syncline.yaml");
  writeFileSync(file, text);
  return file;
}

async function problems(text: string, env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    await loadConfig(write(text), env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected the config to be refused");
}

describe("loadConfig", () => {
  it("loads a valid config with defaults applied", async () => {
    const config = await loadConfig(write(BASE), {});
    const sync = config.syncs.get("contacts")!;
    expect(sync.spec.mode).toBe("upsert");
    expect(sync.spec.primaryKey).toEqual(["id"]);
    expect(sync.spec.model).toEqual({ kind: "sql", sql: "select 1 as id, 'a' as email" });
    expect(config.server.port).toBe(8080);
    expect(config.statePath.endsWith(".syncline/state.db")).toBe(true);
  });

  it("turns the console on by default, off with server.console: false, and checks its settings", async () => {
    expect((await loadConfig(write(BASE), {})).server.console).toEqual({ enabled: true, sessionMinutes: 60 });
    const off = await loadConfig(write(`${BASE}server:\n  console: false\n`), {});
    expect(off.server.console.enabled).toBe(false);
    const tuned = await loadConfig(write(`${BASE}server:\n  console: { sessionMinutes: 15 }\n`), {});
    expect(tuned.server.console).toEqual({ enabled: true, sessionMinutes: 15 });
    const message = await problems(`${BASE}server:\n  console: "off"\n`);
    expect(message).toContain(
      "server.console: must be true, false or { enabled: <boolean>, sessionMinutes: <minutes> }",
    );
  });

  it("names the path and the fix for a missing field", async () => {
    const message = await problems(BASE.replace("    primaryKey: id\n", ""));
    expect(message).toContain("syncs.contacts.primaryKey: required — the column that identifies a record");
  });

  it("refuses unknown keys and suggests the one meant", async () => {
    const message = await problems(BASE.replace("primaryKey: id", "primaryKey: id\n    primaryKy: id"));
    expect(message).toContain('syncs.contacts.primaryKy: unknown key — did you mean "primaryKey"?');
  });

  it("refuses unknown options of a plugin, by the plugin's own schema", async () => {
    const message = await problems(BASE.replace("path: ./out", "path: ./out, colour: blue"));
    expect(message).toContain("destinations.out.colour: unknown key");
  });

  it("reports every problem at once: unknown references and a bad cron", async () => {
    const message = await problems(
      BASE.replace("source: wh", "source: nope")
        .replace("destination: out", "destination: gone")
        .replace("mapping:", 'schedule: "every tuesday"\n    mapping:'),
    );
    expect(message).toContain('syncs.contacts.source: unknown source "nope" — defined sources: wh');
    expect(message).toContain('syncs.contacts.destination: unknown destination "gone"');
    expect(message).toContain('syncs.contacts.schedule: invalid cron expression "every tuesday"');
  });

  it("reports every schema problem at once", async () => {
    const message = await problems(BASE.replace("mapping:", "mode: sometimes\n    batchSize: -1\n    mapping:"));
    expect(message).toContain('syncs.contacts.mode: must be "upsert", "update", "insert" or "mirror"');
    expect(message).toContain("syncs.contacts.batchSize:");
  });

  it("interpolates ${ENV} and names a missing variable", async () => {
    const text = BASE.replace("path: ./out", 'path: "${OUT_DIR}"');
    const config = await loadConfig(write(text), { OUT_DIR: "/tmp/x" });
    expect(config.destinations.get("out")!.config).toEqual({ path: "/tmp/x" });
    expect(await problems(text)).toContain("destinations.out.path: environment variable OUT_DIR is not set");
  });

  it("treats values of secret-looking variables and tokens as secrets", async () => {
    const text = `${BASE}server:\n  tokens: ["\${API_TOKEN}"]\n`;
    const config = await loadConfig(write(text), { API_TOKEN: "a-very-secret-token-123" });
    expect(config.secrets.has("a-very-secret-token-123")).toBe(true);
  });

  it("refuses an unknown connector type with the list of known ones", async () => {
    const message = await problems(BASE.replace("type: file", "type: filez"));
    expect(message).toContain('destinations.out.type: unknown type "filez"');
    expect(message).toContain("file");
  });

  it("refuses a mode the destination cannot do", async () => {
    const file = write(
      `plugins: ["./upsert-only.js"]\n${BASE.replace("type: file, path: ./out", "type: upsert-only").replace("object: contacts", "object: contacts\n    mode: mirror")}`,
    );
    writeFileSync(
      join(file, "..", "upsert-only.js"),
      `export default { kind: "destination", name: "upsert-only", apiVersion: 1, config: { kind: "schema", type: "object", async: false, "~standard": {}, "~run": (d) => d }, capabilities: { operations: ["upsert"], maxRecords: 10 }, check: async () => {}, write: async () => [] };`,
    );
    const message = await loadConfig(file, {}).then(
      () => "",
      (error: Error) => error.message,
    );
    expect(message).toContain('syncs.contacts.mode: "mirror" needs delete, which upsert-only does not support');
  });

  it("reports YAML syntax errors with the file", async () => {
    expect(await problems("syncs: [unclosed")).toContain("YAML");
  });

  it("resolves table models into relations", async () => {
    const config = await loadConfig(
      write(BASE.replace(`{ sql: "select 1 as id, 'a' as email" }`, "{ table: analytics.people }")),
      {},
    );
    expect(config.syncs.get("contacts")!.spec.model).toEqual({
      kind: "table",
      relation: { database: undefined, schema: "analytics", name: "people" },
    });
  });

  it("keeps a mounted config's state and port over the image's defaults, and says where each came from", async () => {
    const image = { SYNCLINE_DEFAULT_STATE: "/var/lib/syncline/state.db", SYNCLINE_DEFAULT_PORT: "8080" };
    const file = write(`state: ./mine.db\n${BASE}server:\n  port: 9000\n`);
    const config = await loadConfig(file, image);
    expect(config.statePath).toBe(join(file, "..", "mine.db"));
    expect(config.server.port).toBe(9000);
    expect(config.settings.port.from).toBe("config file (server.port)");
    const silent = await loadConfig(write(BASE), image);
    expect(silent.statePath).toBe("/var/lib/syncline/state.db");
    expect(silent.settings.statePath.from).toBe("image default SYNCLINE_DEFAULT_STATE");
    expect((await loadConfig(file, { ...image, PORT: "7000" })).server.port).toBe(7000);
  });

  it("refuses an environment variable that does not parse, naming it", async () => {
    expect(await problems(BASE, { PORT: "eighty" })).toContain('PORT: "eighty" is not a port number');
  });
});
