/**
 * A small, bounded load test of the running service (loopback only).
 *
 *   node test/server/load.ts [--requests 2000] [--concurrency 16] [--starts 5] [--seconds 30]
 *
 * 1. Start-up: spawns `syncline serve` --starts times, measuring spawn → `ready` log line
 *    and spawn → first /readyz 200.
 * 2. Trigger latency: --requests POST /v1/syncs/people/runs from --concurrency keep-alive
 *    workers, each with an Idempotency-Key (one in four a retry of an earlier key), while
 *    the sync really runs (1,000 rows to a loopback webhook receiver). Stops at --seconds.
 */
import { parseArgs } from "node:util";
import { Receiver, ServiceProcess, serviceDir } from "./process.ts";

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    concurrency: { type: "string", default: "16" },
    starts: { type: "string", default: "5" },
    seconds: { type: "string", default: "30" },
  },
});
const REQUESTS = Math.min(20_000, Number(values.requests));
const CONCURRENCY = Math.min(64, Number(values.concurrency));
const STARTS = Math.min(20, Number(values.starts));
const DEADLINE = Date.now() + Math.min(120, Number(values.seconds)) * 1000;
const TOKEN = "load-token-0123456789abcdef";

const receiver = await new Receiver().start();
const dir = serviceDir({ receiverUrl: receiver.url, rows: 1000, token: TOKEN, maxRecords: 100 });
try {
  const readyLog: number[] = [];
  const readyz: number[] = [];
  const own: number[] = [];
  let service: ServiceProcess | undefined;
  for (let i = 0; i < STARTS; i++) {
    service = await new ServiceProcess(dir.configPath, TOKEN).start();
    readyLog.push(service.readyLogMs);
    readyz.push(service.readyzMs);
    own.push(service.logs.find((line) => line.msg === "ready")?.startupMs as number);
    if (i < STARTS - 1) await service.stop();
  }
  console.log(`start-up over ${STARTS} starts (ms)`);
  console.log(`  spawn → /readyz 200     ${summary(readyz)}`);
  console.log(`  spawn → "ready" log     ${summary(readyLog)}`);
  console.log(`  process start → ready   ${summary(own)} (startupMs the service logs)`);

  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const runs = new Set<string>();
  let sent = 0;
  const started = performance.now();
  const worker = async (w: number) => {
    for (;;) {
      const n = sent++;
      if (n >= REQUESTS || Date.now() > DEADLINE) return;
      const key = n % 4 === 3 ? `load-${w}-${n - 3}` : `load-${w}-${n}`;
      const t0 = performance.now();
      const response = await service!.fetch("/v1/syncs/people/runs", {
        method: "POST",
        headers: { "idempotency-key": key },
      });
      const body = (await response.json()) as { id?: string };
      latencies.push(performance.now() - t0);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      if (body.id) runs.add(body.id);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `triggers: ${latencies.length} in ${seconds.toFixed(1)} s (${(latencies.length / seconds).toFixed(0)}/s), ` +
      `concurrency ${CONCURRENCY}, statuses ${JSON.stringify(Object.fromEntries(statuses))}, ${runs.size} distinct runs`,
  );
  console.log(`  latency ms              ${summary(latencies)}`);
  const stopStarted = performance.now();
  const code = await service!.stop();
  console.log(`shutdown: exit ${code} after ${(performance.now() - stopStarted).toFixed(0)} ms`);
} finally {
  await receiver.close();
  dir.remove();
}

function summary(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `p50 ${at(0.5).toFixed(1)}  p90 ${at(0.9).toFixed(1)}  p99 ${at(0.99).toFixed(1)}  max ${sorted.at(-1)!.toFixed(1)}`;
}
