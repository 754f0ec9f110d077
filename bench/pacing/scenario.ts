import { startHubSpotFake } from "../../plugins/hubspot/fake/server.ts";
import { Workspace } from "../../test/support/connector-e2e.ts";
import type { BenchArgs } from "../lib/args.ts";
import { median, round } from "../lib/stats.ts";
import { printTable } from "../lib/table.ts";
import { LIMIT } from "../naive/scenario.ts";
import { type PacingResult, pacing } from "../pacing.ts";

export interface StormResult {
  records: number;
  delivered: number;
  failed: number;
  rateLimited: number;
  seconds: number;
}

export interface PacingFigures {
  records: number;
  limit: typeof LIMIT;
  /** Median of the runs at the declared limit (bench/pacing.ts measures at the fake). */
  paced: PacingResult & { runs: number; maxRateLimited: number };
  /** The fake also answers 429 on its own schedule (one call every 2 s): all delivered? */
  storm: StormResult;
}

/** A sync against a fake that throttles on its own schedule too: every record must arrive. */
async function storm(records: number): Promise<StormResult> {
  const server = await startHubSpotFake({ rateLimit: LIMIT, maxBatch: LIMIT.batchSize, latencyMs: 5 });
  const ws = new Workspace();
  const timer = setInterval(() => server.fake.throttle(1), 2_000);
  try {
    await ws.seed(records);
    ws.writeConfig({
      destination: `type: hubspot
accessToken: \${HUBSPOT_TOKEN}
baseUrl: ${server.url}
rateLimit: { requests: ${LIMIT.requests}, windowMs: ${LIMIT.windowMs} }`,
      object: "contacts",
      batchSize: LIMIT.batchSize,
      mapping: { email: "email", firstname: "first_name", lastname: "last_name" },
    });
    const app = await ws.open({ HUBSPOT_TOKEN: server.fake.token });
    const started = performance.now();
    let watchdog: NodeJS.Timeout | undefined;
    const run = await Promise.race([
      app.engine.runNow("people"),
      new Promise<never>((_, reject) => {
        watchdog = setTimeout(() => reject(new Error("pacing: the throttled run took over 5 minutes")), 300_000);
      }),
    ]).finally(() => clearTimeout(watchdog));
    const seconds = (performance.now() - started) / 1000;
    const failed = run.counts ? run.counts.failed.added + run.counts.failed.changed : records;
    return {
      records,
      delivered: server.fake.records("contacts").length,
      failed,
      rateLimited: server.fake.counters.rateLimited,
      seconds: round(seconds, 2),
    };
  } finally {
    clearInterval(timer);
    await ws.close();
    await server.close();
  }
}

/** Scenario 2: how close a large sync gets to HubSpot's declared limit, and its 429s. */
export async function pacingScenario(args: BenchArgs): Promise<PacingFigures> {
  const records = args.quick ? 15_000 : 50_000;
  const runs: PacingResult[] = [];
  for (let i = 0; i < args.repeat; i++) {
    runs.push(
      await pacing({ records, requests: LIMIT.requests, windowMs: LIMIT.windowMs, batchSize: LIMIT.batchSize }),
    );
  }
  const byShare = [...runs].sort((a, b) => a.share - b.share);
  const middle = byShare[Math.floor(byShare.length / 2)]!;
  const paced = {
    ...middle,
    share: median(runs.map((r) => r.share)),
    rateLimited: median(runs.map((r) => r.rateLimited)),
    maxRateLimited: Math.max(...runs.map((r) => r.rateLimited)),
    runs: runs.length,
  };
  const stormed = await storm(args.quick ? 15_000 : 20_000);
  printTable(
    `2. Sink pacing (HubSpot fake on loopback, ${LIMIT.requests} req / ${LIMIT.windowMs} ms × ${LIMIT.batchSize} records; medians of ${runs.length})`,
    ["case", "records", "records/s", "ceiling", "share of ceiling", "429s", "delivered", "s"],
    [
      [
        "declared limit",
        records,
        paced.recordsPerSecond,
        paced.ceiling,
        paced.share,
        `${paced.rateLimited} (max ${paced.maxRateLimited})`,
        paced.delivered,
        paced.seconds,
      ],
      [
        "fake also throttles",
        stormed.records,
        Math.round(stormed.records / stormed.seconds),
        paced.ceiling,
        "",
        stormed.rateLimited,
        `${stormed.delivered} (${stormed.failed} failed)`,
        stormed.seconds,
      ],
    ],
  );
  return { records, limit: LIMIT, paced, storm: stormed };
}
