/**
 * One `syncline run` of the delta scenario's sync, in its own process: the same code path as
 * the CLI (config, plugins, state, engine). Prints timings, counts and peak RSS as JSON.
 * Usage: node bench/delta/worker.ts <config.yaml>
 */
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { peakRssMb, report } from "../lib/child.ts";

const config = process.argv[2]!;
const started = performance.now();
// Where the memory is: the peak of each part of process.memoryUsage(), sampled every 250 ms.
const memory = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 };
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  for (const key of Object.keys(memory) as Array<keyof typeof memory>) memory[key] = Math.max(memory[key], usage[key]);
}, 250);
const app = await openSyncline(config, { logger: silentLogger });
const opened = performance.now();
let planned: number | undefined;
app.engine.on("progress", ({ phase }) => {
  if (phase === "sending" && planned === undefined) planned = performance.now();
});
const cpuBefore = process.cpuUsage();
const run = await app.engine.runNow("customers");
const finished = performance.now();
const cpu = process.cpuUsage(cpuBefore);
await app.close();
clearInterval(sampler);
report({
  status: run.status,
  error: run.error,
  counts: run.counts,
  openMs: opened - started,
  planMs: (planned ?? finished) - opened,
  runMs: finished - opened,
  /** CPU time of the run (user + system, all threads): steadier than wall time on a shared machine. */
  cpuMs: (cpu.user + cpu.system) / 1000,
  peakRssMb: peakRssMb(),
  memoryMb: Object.fromEntries(Object.entries(memory).map(([key, bytes]) => [key, Math.round(bytes / 2 ** 20)])),
});
