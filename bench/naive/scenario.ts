import { startHubSpotFake } from "../../plugins/hubspot/fake/server.ts";
import { Workspace } from "../../test/support/connector-e2e.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { type NaiveResult, sendEverything } from "./send-everything.ts";

/** The HubSpot fake's limit for scenarios 2 and 3 (HubSpot's 10 s window scaled down). */
export const LIMIT = { requests: 50, windowMs: 1_000, batchSize: 100 };

interface Measure {
  sent: number;
  ms: number;
  rateLimited: number;
}

export interface NaiveFigures {
  rows: number;
  repeat: number;
  syncline: { first: Measure; second: Measure };
  naive: { first: Measure; second: Measure };
  /** Syncline ÷ the script: records sent and time, per run. */
  ratios: { firstSent: number; firstTime: number; secondSent: number; secondTime: number };
}

/** One round: Syncline's first and second run, then the script twice, against a fresh fake. */
async function round1(rows: number): Promise<{ syncline: Measure[]; naive: NaiveResult[] }> {
  const server = await startHubSpotFake({ rateLimit: LIMIT, maxBatch: LIMIT.batchSize, latencyMs: 5 });
  const ws = new Workspace();
  try {
    await ws.seed(rows);
    ws.writeConfig({
      destination: `type: hubspot
accessToken: \${HUBSPOT_TOKEN}
baseUrl: ${server.url}
rateLimit: { requests: ${LIMIT.requests}, windowMs: ${LIMIT.windowMs} }`,
      object: "contacts",
      batchSize: LIMIT.batchSize,
      mapping: { email: "email", firstname: "first_name", lastname: "last_name" },
    });
    const syncline: Measure[] = [];
    const app = await ws.open({ HUBSPOT_TOKEN: server.fake.token });
    for (let run = 0; run < 2; run++) {
      if (run === 1) {
        const added = Math.max(1, Math.floor(rows / 1000));
        await ws.sql(`UPDATE people SET first_name = 'Changed' || id WHERE id % 100 = 7;
          DELETE FROM people WHERE id % 1000 = 3;
          INSERT INTO people SELECT i, 'p' || i || '@example.com', 'First' || i, 'Last' || i FROM range(${rows + 1}, ${rows + 1 + added}) t(i)`);
      }
      const before = server.fake.counters.rateLimited;
      const started = performance.now();
      const result = await app.engine.runNow("people");
      const ms = performance.now() - started;
      if (result.status !== "succeeded") throw new Error(`naive scenario: Syncline run ${result.status}`);
      const s = result.counts!.succeeded;
      syncline.push({
        sent: s.added + s.changed + s.removed,
        ms,
        rateLimited: server.fake.counters.rateLimited - before,
      });
    }
    const naive: NaiveResult[] = [];
    for (let run = 0; run < 2; run++) naive.push(await sendEverything(ws.warehouse, server.url, server.fake.token));
    return { syncline, naive };
  } finally {
    await ws.close();
    await server.close();
  }
}

function med(measures: Measure[]): Measure {
  return {
    sent: median(measures.map((m) => m.sent)),
    ms: round(median(measures.map((m) => m.ms))),
    rateLimited: median(measures.map((m) => m.rateLimited)),
  };
}

/** Scenario 3: Syncline against a "send everything every time" script. */
export async function naiveScenario(args: BenchArgs): Promise<NaiveFigures> {
  const rows = args.quick ? 5_000 : 20_000;
  const rounds = [];
  for (let i = 0; i < args.repeat; i++) rounds.push(await round1(rows));
  const syncline = { first: med(rounds.map((r) => r.syncline[0]!)), second: med(rounds.map((r) => r.syncline[1]!)) };
  const naive = { first: med(rounds.map((r) => r.naive[0]!)), second: med(rounds.map((r) => r.naive[1]!)) };
  const ratios = {
    firstSent: round(syncline.first.sent / naive.first.sent, 3),
    firstTime: round(syncline.first.ms / naive.first.ms, 2),
    secondSent: round(syncline.second.sent / naive.second.sent, 4),
    secondTime: round(syncline.second.ms / naive.second.ms, 3),
  };
  printTable(
    `3. Syncline vs a "send everything" script (${rows} rows, HubSpot fake at ${LIMIT.requests} req/s × ${LIMIT.batchSize}; medians of ${args.repeat})`,
    [
      "run",
      "Syncline sent",
      "script sent",
      "sent ratio",
      "Syncline s",
      "script s",
      "time ratio",
      "429s (Syncline / script)",
    ],
    (["first", "second"] as const).map((run) => [
      run,
      syncline[run].sent,
      naive[run].sent,
      run === "first" ? ratios.firstSent : ratios.secondSent,
      round(syncline[run].ms / 1000, 2),
      round(naive[run].ms / 1000, 2),
      run === "first" ? ratios.firstTime : ratios.secondTime,
      `${syncline[run].rateLimited} / ${naive[run].rateLimited}`,
    ]),
  );
  return { rows, repeat: args.repeat, syncline, naive, ratios };
}
