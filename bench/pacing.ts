// Pacing scenario: how close a sync to HubSpot gets to the rate limit it declares.
//
// The fake HubSpot allows R requests in any rolling window of W ms and B records per call;
// the destination declares the same limit (`rateLimit: {requests: R, windowMs: W}`). A sync
// of N records through the real engine cannot deliver more than R·B records per window, so
// the ceiling is R·B/W records per second. The rate is measured at the fake: the records its
// accepted calls carried per rolling window, averaged over every window between the first
// call and the last (a perfect pacer scores exactly R·B in each). `rateLimited` counts 429
// answers: the sync paces itself at the declared limit, so any 429 is one it could have avoided.
//
//   node bench/pacing.ts [records] [requests] [windowMs] [batchSize]
import { startHubSpotFake } from "../plugins/hubspot/fake/server.ts";
import { Workspace } from "../test/support/connector-e2e.ts";

export interface PacingOptions {
  /** Records in the model (default 10,000). */
  records?: number;
  /** R: requests allowed per window, by the fake and in the destination's config (default 20). */
  requests?: number;
  /** W: the window, in ms (default 1,000). */
  windowMs?: number;
  /** B: records per call (default 100, HubSpot's batch size). */
  batchSize?: number;
  /** Calls in flight at once (default 4, the HubSpot connector's default). */
  concurrency?: number;
  /** Latency the fake adds to every answer, in ms (default 5). */
  latencyMs?: number;
}

export interface PacingResult {
  /** Records delivered per second in the steady state (the mean per rolling window, per second). */
  recordsPerSecond: number;
  /** R·B/W, in records per second. */
  ceiling: number;
  /** recordsPerSecond / ceiling. */
  share: number;
  /** 429 answers the fake gave. */
  rateLimited: number;
  /** Records HubSpot holds after the run. */
  delivered: number;
  /** Accepted batch calls. */
  calls: number;
  /** The run's wall time, in seconds. */
  seconds: number;
}

export async function pacing(options: PacingOptions = {}): Promise<PacingResult> {
  const records = options.records ?? 10_000;
  const requests = options.requests ?? 20;
  const windowMs = options.windowMs ?? 1_000;
  const batchSize = options.batchSize ?? 100;
  const server = await startHubSpotFake({
    rateLimit: { requests, windowMs },
    maxBatch: batchSize,
    latencyMs: options.latencyMs ?? 5,
  });
  const ws = new Workspace();
  try {
    await ws.seed(records);
    ws.writeConfig({
      destination: `type: hubspot
accessToken: \${HUBSPOT_TOKEN}
baseUrl: ${server.url}
rateLimit: { requests: ${requests}, windowMs: ${windowMs} }
concurrency: ${options.concurrency ?? 4}`,
      object: "contacts",
      batchSize,
      mapping: { email: "email", firstname: "first_name", lastname: "last_name" },
    });
    const app = await ws.open({ HUBSPOT_TOKEN: server.fake.token });
    const started = performance.now();
    const run = await app.engine.runNow("people");
    const seconds = (performance.now() - started) / 1000;
    if (run.status !== "succeeded") throw new Error(`the pacing run ended ${run.status}: ${run.error?.message ?? ""}`);

    const accepted = server.fake.calls
      .filter((call) => !call.refused && call.records > 0)
      .sort((a, b) => a.at - b.at || a.seq - b.seq);
    const recordsPerSecond = meanRecordsPerWindow(accepted, windowMs) / (windowMs / 1000);
    const ceiling = (requests * batchSize) / (windowMs / 1000);
    return {
      recordsPerSecond: Math.round(recordsPerSecond),
      ceiling,
      share: Math.round((recordsPerSecond / ceiling) * 1000) / 1000,
      rateLimited: server.fake.counters.rateLimited,
      delivered: server.fake.records("contacts").length,
      calls: accepted.length,
      seconds: Math.round(seconds * 100) / 100,
    };
  } finally {
    await ws.close();
    await server.close();
  }
}

/**
 * Records the destination accepted per rolling window, averaged over every window that lies
 * between the first accepted call and the last (1 ms steps): the rate a pacer keeps up, free of
 * the edge effects of where its bursts happen to fall.
 */
export function meanRecordsPerWindow(calls: ReadonlyArray<{ at: number; records: number }>, windowMs: number): number {
  const first = calls[0]?.at ?? 0;
  const last = calls.at(-1)?.at ?? 0;
  if (last - first < windowMs) return calls.reduce((sum, call) => sum + call.records, 0);
  let sum = 0;
  let windows = 0;
  let head = 0;
  let tail = 0;
  let inWindow = 0;
  for (let start = first; start <= last - windowMs; start++) {
    while (tail < calls.length && calls[tail]!.at < start + windowMs) inWindow += calls[tail++]!.records;
    while (head < tail && calls[head]!.at < start) inWindow -= calls[head++]!.records;
    sum += inWindow;
    windows++;
  }
  return sum / windows;
}

if (import.meta.main) {
  const [records, requests, windowMs, batchSize] = process.argv.slice(2).map(Number);
  const result = await pacing({ records, requests, windowMs, batchSize });
  console.log(JSON.stringify(result));
}
