import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ServiceProcess } from "../server/process.ts";
import { ChaosReceiver } from "../support/chaos-receiver.ts";
import { seeded } from "../support/random.ts";

const TOKEN = "soak-token-0123456789abcdef";
const RUNS = Number(process.env.SYNCLINE_SOAK_RUNS ?? 120);

/** Reads a gauge from the Prometheus text. */
function gauge(text: string, name: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}

describe(`soak: ${RUNS} runs through the service with faults on`, () => {
  const dir = mkdtempSync(join(tmpdir(), "syncline-soak-"));
  const receiver = new ChaosReceiver();
  let service: ServiceProcess;

  beforeAll(async () => {
    await receiver.start();
    receiver.random = seeded(7);
    writeFileSync(
      join(dir, "seed.sql"),
      "CREATE TABLE people AS SELECT i AS id, 'p' || i AS email, 'n' AS name, 1 AS version FROM range(1, 81) t(i);",
    );
    writeFileSync(
      join(dir, "syncline.yaml"),
      `state: ./state.db
sources:
  wh: { type: duckdb, path: ./wh.duckdb, seed: ./seed.sql }
destinations:
  hook: { type: webhook, url: ${receiver.url}, maxRecords: 10, concurrency: 3, timeoutMs: ${receiver.timeoutMs} }
syncs:
  people:
    source: wh
    model: { table: people }
    primaryKey: id
    destination: hook
    object: people
    mode: mirror
    mapping: { email: email, name: name, version: version }
server: { host: 127.0.0.1, tokens: ["${TOKEN}"] }
logLevel: warn
`,
    );
    service = await new ServiceProcess(join(dir, "syncline.yaml"), TOKEN).start();
  });
  afterAll(async () => {
    await service?.stop();
    await receiver.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps memory and open handles flat, and drains the ledger once the faults stop", async () => {
    receiver.faults = {
      rate: 0.3,
      kinds: ["http_503", "reset_before", "rate_limit_retry_after", "slow"],
      rejectKeys: new Set(["5", "17", "42"]),
    };
    const samples: Array<{ rss: number; fds: number; heap: number }> = [];
    const statuses = new Map<string, number>();
    for (let i = 1; i <= RUNS; i++) {
      const response = await service.fetch(`/v1/syncs/people/runs?wait=true&fullResync=${i % 2 === 0}`, {
        method: "POST",
      });
      const run = (await response.json()) as { status: string };
      statuses.set(run.status, (statuses.get(run.status) ?? 0) + 1);
      if (i % Math.max(1, Math.floor(RUNS / 8)) === 0) {
        const metrics = await (await service.fetch("/metrics")).text();
        samples.push({
          rss: gauge(metrics, "syncline_process_resident_memory_bytes"),
          fds: gauge(metrics, "syncline_process_open_fds"),
          heap: gauge(metrics, "syncline_nodejs_heap_size_used_bytes"),
        });
      }
    }
    const ledgerWithFaults = (await service.json<{ total: number }>("/v1/syncs/people/failures")).total;
    receiver.faults = { rate: 0, kinds: [], rejectKeys: new Set() };
    const clean = await service.json<{ status: string }>("/v1/syncs/people/runs?wait=true", { method: "POST" });
    const ledgerAfter = (await service.json<{ total: number }>("/v1/syncs/people/failures")).total;
    console.log(
      JSON.stringify({ runs: RUNS, statuses: Object.fromEntries(statuses), samples, ledgerWithFaults, ledgerAfter }),
    );

    expect(ledgerWithFaults).toBeGreaterThan(0);
    expect(clean.status).toBe("succeeded");
    expect(ledgerAfter).toBe(0);
    expect(receiver.records.size).toBe(80);
    // Flat: compare the last samples with the second (after warm-up).
    const warm = samples[1]!;
    const last = samples.at(-1)!;
    expect(last.fds - warm.fds).toBeLessThanOrEqual(8);
    expect(last.rss / warm.rss).toBeLessThan(1.5);
    expect(last.heap / warm.heap).toBeLessThan(1.5);
  }, 240_000);
});
