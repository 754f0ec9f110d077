// Braze scenario: a sync to the fake Braze (/users/track, 75 users a call; /users/delete, 50)
// through the real engine. Two cases: (1) the fake allows R calls per clock-aligned window of
// W ms and the destination declares the same limit, so the ceiling is R·75/W records per
// second and any 429 is one the pacer could have avoided; (2) Braze's real limits (3,000 calls
// per 3 s, declared at 95%), which a 2-core machine cannot reach: the figure is what the engine
// and the connector deliver, then mirror deletes of a fifth of the model.

import { FAKE_API_KEY } from "../../plugins/braze/fake/options.ts";
import { startBrazeFake } from "../../plugins/braze/fake/server.ts";
import { Workspace } from "../../test/support/connector-e2e.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { meanRecordsPerWindow, pacing } from "../pacing.ts";

const BATCH = 75;
/** Case 1's limit: small enough that pacing, not the machine, sets the rate. */
export const BRAZE_LIMIT = { requests: 10, windowMs: 1_000 };

export interface BrazeRun {
  records: number;
  recordsPerSecond: number;
  seconds: number;
  calls: number;
  rateLimited: number;
  delivered: number;
}

export interface BrazeFigures {
  paced: BrazeRun & { ceiling: number; share: number };
  unthrottled: BrazeRun & { deletes: number; deletesPerSecond: number; deleteSeconds: number };
  /** The HubSpot connector unthrottled on the same machine minutes apart (100 a call): the baseline. */
  hubspot: { records: number; recordsPerSecond: number; seconds: number };
  /** Braze's records/s ÷ HubSpot's (75 against 100 records a call: about 0.75 when calls cost the same). */
  ratio: number;
}

async function sync(records: number, limit?: { requests: number; windowMs: number }, mirror = false) {
  const server = await startBrazeFake({ latencyMs: 5, ...(limit ? { rateLimit: limit } : {}) });
  const ws = new Workspace();
  await ws.seed(records);
  ws.writeConfig({
    destination: `type: braze
apiKey: \${BRAZE_API_KEY}
baseUrl: ${server.url}${limit ? `\nrateLimit: { requests: ${limit.requests}, windowMs: ${limit.windowMs} }` : ""}`,
    object: "users",
    mode: mirror ? "mirror" : "upsert",
    batchSize: BATCH,
    mapping: { external_id: "id", email: "email", first_name: "first_name", last_name: "last_name" },
  });
  const app = await ws.open({ BRAZE_API_KEY: FAKE_API_KEY });
  const timed = async () => {
    const started = performance.now();
    const run = await app.engine.runNow("people");
    if (run.status !== "succeeded") throw new Error(`the braze run ended ${run.status}: ${run.error?.message ?? ""}`);
    return (performance.now() - started) / 1000;
  };
  const close = async () => {
    await ws.close();
    await server.close();
  };
  return { server, ws, timed, close };
}

function tracked(server: Awaited<ReturnType<typeof sync>>["server"]) {
  return server.fake.calls
    .filter((call) => call.path === "/users/track" && !call.refused && call.records > 0)
    .sort((a, b) => a.at - b.at || a.seq - b.seq);
}

/** Case 1: paced at a declared limit equal to the fake's. */
async function paced(records: number): Promise<BrazeFigures["paced"]> {
  const run = await sync(records, BRAZE_LIMIT);
  try {
    const seconds = await run.timed();
    const calls = tracked(run.server);
    const rate = meanRecordsPerWindow(calls, BRAZE_LIMIT.windowMs) / (BRAZE_LIMIT.windowMs / 1000);
    const ceiling = (BRAZE_LIMIT.requests * BATCH) / (BRAZE_LIMIT.windowMs / 1000);
    return {
      records,
      recordsPerSecond: Math.round(rate),
      seconds: round(seconds, 2),
      calls: calls.length,
      rateLimited: run.server.fake.counters.rateLimited,
      delivered: run.server.fake.records().length,
      ceiling,
      share: round(rate / ceiling, 3),
    };
  } finally {
    await run.close();
  }
}

/** Case 2: Braze's own limits; then a fifth of the model removed, deleted in mirror mode. */
async function unthrottled(records: number): Promise<BrazeFigures["unthrottled"]> {
  const run = await sync(records, undefined, true);
  try {
    const seconds = await run.timed();
    const calls = tracked(run.server).length;
    const delivered = run.server.fake.records().length;
    await run.ws.sql("DELETE FROM people WHERE id % 5 = 0");
    const deleteSeconds = await run.timed();
    const deletes = delivered - run.server.fake.records().length;
    return {
      records,
      recordsPerSecond: Math.round(records / seconds),
      seconds: round(seconds, 2),
      calls,
      rateLimited: run.server.fake.counters.rateLimited,
      delivered,
      deletes,
      deletesPerSecond: Math.round(deletes / deleteSeconds),
      deleteSeconds: round(deleteSeconds, 2),
    };
  } finally {
    await run.close();
  }
}

export async function brazeScenario(args: BenchArgs): Promise<BrazeFigures> {
  const pacedRuns: Array<BrazeFigures["paced"]> = [];
  const freeRuns: Array<BrazeFigures["unthrottled"]> = [];
  const hubspotRuns: Array<BrazeFigures["hubspot"]> = [];
  const free = args.quick ? 20_000 : 100_000;
  for (let i = 0; i < args.repeat; i++) {
    pacedRuns.push(await paced(args.quick ? 7_500 : 15_000));
    freeRuns.push(await unthrottled(free));
    const baseline = await pacing({ records: free, requests: 10_000, windowMs: 1_000, batchSize: 100, concurrency: 8 });
    hubspotRuns.push({
      records: free,
      recordsPerSecond: Math.round(free / baseline.seconds),
      seconds: baseline.seconds,
    });
  }
  const middle = <T extends { recordsPerSecond: number }>(runs: T[]) =>
    [...runs].sort((a, b) => a.recordsPerSecond - b.recordsPerSecond)[Math.floor(runs.length / 2)]!;
  const p = { ...middle(pacedRuns), share: median(pacedRuns.map((r) => r.share)) };
  const u = middle(freeRuns);
  const h = middle(hubspotRuns);
  const ratio = round(
    median(freeRuns.map((r) => r.recordsPerSecond)) / median(hubspotRuns.map((r) => r.recordsPerSecond)),
    2,
  );
  printTable(
    `Braze (fake on loopback, 75 users per /users/track call, 50 per /users/delete; medians of ${args.repeat})`,
    ["case", "records", "records/s", "ceiling", "share of ceiling", "429s", "delivered", "s"],
    [
      [
        `declared ${BRAZE_LIMIT.requests} req / ${BRAZE_LIMIT.windowMs} ms`,
        p.records,
        p.recordsPerSecond,
        p.ceiling,
        p.share,
        p.rateLimited,
        p.delivered,
        p.seconds,
      ],
      [
        "Braze's limits (2,850 / 3 s)",
        u.records,
        u.recordsPerSecond,
        71_250,
        "",
        u.rateLimited,
        u.delivered,
        u.seconds,
      ],
      ["mirror deletes (a fifth)", u.deletes, u.deletesPerSecond, "", "", "", u.deletes, u.deleteSeconds],
      [
        "baseline: HubSpot, unthrottled",
        h.records,
        h.recordsPerSecond,
        "",
        `Braze ÷ HubSpot ${ratio}`,
        "",
        "",
        h.seconds,
      ],
    ],
  );
  return { paced: p, unthrottled: u, hubspot: h, ratio };
}
