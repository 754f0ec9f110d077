import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, describe, expect, it } from "vitest";
import { readStateFile, runRows } from "../../src/state/inspect/index.ts";
import { ServiceProcess, sleep } from "../server/process.ts";
import { ChaosReceiver } from "../support/chaos-receiver.ts";
import { seeded } from "../support/random.ts";
import { checkInvariant, type Warehouse } from "./invariant.ts";
import { ModelMutator } from "./mutations.ts";
import { report } from "./report.ts";

const TOKEN = "kill-token-0123456789abcdef";
const KILLS = 6;

function duckWarehouse(path: string): Warehouse {
  const open = async (readOnly: boolean) => {
    const instance = await DuckDBInstance.create(path, readOnly ? { access_mode: "READ_ONLY" } : {});
    return { instance, connection: await instance.connect() };
  };
  return {
    async sql(statements) {
      const { instance, connection } = await open(false);
      await connection.run(statements);
      connection.closeSync();
      instance.closeSync();
    },
    async model() {
      const { instance, connection } = await open(true);
      const reader = await connection.runAndReadAll("SELECT id, email, name, version FROM people");
      const rows = new Map(
        reader.getRowObjectsJS().map((r) => [String(r.id), { email: r.email, name: r.name, version: r.version }]),
      );
      connection.closeSync();
      instance.closeSync();
      return rows;
    },
  };
}

describe("the service killed with SIGKILL at random points across many runs", () => {
  const dir = mkdtempSync(join(tmpdir(), "syncline-kill-"));
  const receiver = new ChaosReceiver();
  afterAll(async () => {
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
    report.print();
  });

  it("loses nothing and never writes a stale value: one clean run converges", async () => {
    const random = seeded(99);
    await receiver.start();
    receiver.random = random;
    const warehouse = duckWarehouse(join(dir, "wh.duckdb"));
    await warehouse.sql(
      "CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email, 'v1' AS name, 1 AS version FROM range(1, 401) t(i)",
    );
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./state.db
sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  hook: { type: webhook, url: ${receiver.url}, maxRecords: 10, concurrency: 2, timeoutMs: ${receiver.timeoutMs} }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mode: mirror
    deleteGuard: { maxPercent: 100 }
    mapping: { email: email, name: name, version: version }
server: { host: 127.0.0.1, tokens: ["${TOKEN}"] }
logLevel: warn
`,
    );
    const config = join(dir, "syncline.yaml");
    const mutator = new ModelMutator(random, 401);
    let kills = 0;
    for (let round = 0; round < KILLS; round++) {
      if (round > 0) await mutator.mutate(warehouse);
      receiver.faults = { rate: 0.2, kinds: ["slow", "http_503", "reset_after"], rejectKeys: new Set() };
      const service = await new ServiceProcess(config, TOKEN).start();
      await service.fetch("/v1/syncs/people/runs?fullResync=true", { method: "POST" });
      await sleep(30 + Math.floor(random() * 400));
      if ((await service.stop("SIGKILL")) === null) kills++;
      report.run("killed");
    }
    receiver.faults = { rate: 0, kinds: [], rejectKeys: new Set() };
    const service = await new ServiceProcess(config, TOKEN).start();
    const clean = await service.json<{ status: string }>("/v1/syncs/people/runs?wait=true", { method: "POST" });
    await service.stop();
    report.run(clean.status);

    const result = await checkInvariant(warehouse, receiver.records);
    report.scenario({
      seed: "sigkill",
      ...result,
      staleWrites: receiver.staleWrites,
      runsToConverge: 1,
      injected: new Map([["sigkill", kills], ...receiver.injected]),
    });
    expect(kills).toBe(KILLS);
    expect(clean.status).toBe("succeeded");
    expect(result).toEqual({ lost: 0, extra: 0 });
    expect(receiver.staleWrites).toBe(0);
    const statuses = readStateFile(join(dir, "state.db"), runRows);
    expect(statuses.find((s) => s.status === "running")).toBeUndefined();
  }, 180_000);
});
