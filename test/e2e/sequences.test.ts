import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readStateFile, sequenceRunRows } from "../../src/state/inspect/index.ts";
import { ServiceProcess, sleep } from "../server/process.ts";
import { BIN, runCli } from "../support/cli.ts";
import { collect } from "../support/collect.ts";
import { Receiver } from "../support/receiver.ts";

const TOKEN = "sequence-e2e-token-0123456789";
const dir = mkdtempSync(join(tmpdir(), "syncline-sequences-"));
const config = join(dir, "syncline.yaml");
const receiver = new Receiver();
const cli = (...args: string[]) => runCli([...args, "--config", config]);

interface MemberView {
  sync: string;
  status: string;
  run: { id: string; startedAt: string | null; finishedAt: string | null; counts: { rowsRead: number } | null } | null;
}
interface SequenceRunView {
  id: string;
  status: string;
  trigger: string;
  members: MemberView[];
}

const table = (name: string, object: string, destination = "out", mapping = "{ email: email }") => `
  ${name}:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: ${destination}
    object: ${object}
    mapping: ${mapping}`;

async function warehouse(sql: string): Promise<void> {
  const instance = await DuckDBInstance.create(join(dir, "wh.duckdb"));
  const connection = await instance.connect();
  await connection.run(sql);
  connection.closeSync();
  instance.closeSync();
}

beforeAll(async () => {
  await receiver.start();
  await warehouse("CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 301) t(i)");
  writeFileSync(
    config,
    `state: ./state.db
sources:
  wh: { type: duckdb, path: ./wh.duckdb }
destinations:
  out: { type: file, path: ./out }
  hook: { type: webhook, url: "${receiver.url}", maxRecords: 10, concurrency: 1 }
syncs:${table("accounts", "accounts")}${table("contacts", "contacts")}${table("deals", "deals")}${table("slow", "slow", "hook")}
  broken:
    source: wh
    model: { sql: "SELECT * FROM no_such_table" }
    primaryKey: id
    destination: out
    object: broken
    mapping: { email: email }
sequences:
  nightly: { syncs: [contacts, accounts, deals] }
  stopper: { syncs: [accounts, broken, deals] }
  goer: { syncs: [broken, contacts], onFailure: continue }
  held: { syncs: [slow, deals] }
  ticking: { syncs: [accounts], schedule: "* * * * * *" }
server: { host: 127.0.0.1, tokens: ["${TOKEN}"] }
`,
  );
});
afterAll(async () => {
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

function sequenceRuns(sequence: string): Array<{ id: string; status: string }> {
  return readStateFile(join(dir, "state.db"), (db) =>
    sequenceRunRows(db, sequence).map(({ id, status }) => ({ id, status })),
  );
}

describe("sequences through the CLI (DuckDB model, file destination)", () => {
  it("run --sequence runs the syncs in order, one after another", async () => {
    const result = await cli("run", "--sequence", "nightly", "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const run = JSON.parse(result.stdout) as SequenceRunView;
    expect(run.status).toBe("succeeded");
    expect(run.trigger).toBe("cli");
    expect(run.members.map((m) => [m.sync, m.status])).toEqual([
      ["contacts", "succeeded"],
      ["accounts", "succeeded"],
      ["deals", "succeeded"],
    ]);
    for (let i = 1; i < run.members.length; i++) {
      const previousEnd = Date.parse(run.members[i - 1]!.run!.finishedAt!);
      expect(Date.parse(run.members[i]!.run!.startedAt!)).toBeGreaterThanOrEqual(previousEnd);
    }
    for (const object of ["contacts", "accounts", "deals"]) {
      expect(
        readFileSync(join(dir, "out", `${object}.jsonl`), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(300);
    }
    const text = await cli("run", "--sequence", "nightly");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/sequence nightly .* SUCCEEDED/);
    expect(text.stdout).toMatch(/1\. contacts\s+succeeded/);
  });

  it("stops at a failed member by default (exit 1, later members skipped)", async () => {
    const result = await cli("run", "--sequence", "stopper", "--json");
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as SequenceRunView;
    expect(run.status).toBe("failed");
    expect(run.members.map((m) => m.status)).toEqual(["succeeded", "failed", "skipped"]);
    expect(run.members[2]!.run).toBeNull();
  });

  it("with onFailure: continue runs the members after the failed one", async () => {
    const result = await cli("run", "--sequence", "goer", "--json");
    expect(result.code).toBe(1);
    const run = JSON.parse(result.stdout) as SequenceRunView;
    expect(run.status).toBe("failed");
    expect(run.members.map((m) => m.status)).toEqual(["failed", "succeeded"]);
    expect(run.members[1]!.run!.counts!.rowsRead).toBe(300);
  });

  it("refuses a second run of a sequence while one runs (another process)", async () => {
    receiver.delayMs = 500; // 30 batches: the first run lasts about 15 s, well past the second's start
    const first = collect(
      spawn(process.execPath, [BIN, "run", "--sequence", "held", "--json", "--config", config], {
        stdio: ["ignore", "pipe", "pipe"],
      }),
    );
    while (receiver.batches.length === 0) await sleep(20);
    const second = await cli("run", "--sequence", "held");
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/sequence "held" is already running \(run seq_[a-z0-9]+\)/);
    const done = await first;
    expect(done.code).toBe(0);
    expect((JSON.parse(done.stdout) as SequenceRunView).status).toBe("succeeded");
    expect(sequenceRuns("held")).toHaveLength(1);
  }, 60_000);

  it("marks a sequence run killed mid-member interrupted; the next run goes ahead", async () => {
    await warehouse("UPDATE people SET email = 'changed-' || email"); // something for `slow` to send again
    receiver.batches.length = 0;
    receiver.delayMs = 100;
    const victim = spawn(process.execPath, [BIN, "run", "--sequence", "held", "--json", "--config", config], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = collect(victim);
    while (receiver.batches.length < 3) await sleep(10);
    victim.kill("SIGKILL");
    await exited;
    expect(sequenceRuns("held").map((r) => r.status)).toEqual(["succeeded", "running"]);
    receiver.delayMs = 0;
    const next = await cli("run", "--sequence", "held", "--json");
    expect(next.code).toBe(0);
    expect(sequenceRuns("held").map((r) => r.status)).toEqual(["succeeded", "interrupted", "succeeded"]);
  }, 60_000);
});

describe("sequences under syncline serve", () => {
  it("runs a sequence through the API with wait, and on its schedule", async () => {
    const service = await new ServiceProcess(config, TOKEN).start();
    try {
      const response = await service.fetch("/v1/sequences/nightly/runs?wait=true", { method: "POST" });
      expect(response.status).toBe(200);
      const run = (await response.json()) as SequenceRunView;
      expect(run.status).toBe("succeeded");
      expect(run.trigger).toBe("api");
      const deadline = Date.now() + 15_000;
      let last: SequenceRunView | null = null;
      while (Date.now() < deadline) {
        last = (await service.json<{ lastRun: SequenceRunView | null }>("/v1/sequences/ticking")).lastRun;
        if (last?.status === "succeeded") break;
        await sleep(100);
      }
      expect(last).toMatchObject({ trigger: "schedule", status: "succeeded" });
      const metrics = await (await service.fetch("/metrics", { token: null })).text();
      expect(metrics).toMatch(/syncline_sequence_runs_total\{sequence="ticking",status="succeeded"\} [1-9]/);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    expect(sequenceRuns("ticking").every((r) => r.status !== "running")).toBe(true);
  }, 60_000);
});
