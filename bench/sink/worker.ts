/**
 * One first run of the sink scenario's sync, in its own process: the code path of `syncline
 * run` (config, plugins, state, engine). The sink phase starts when the run reports it is
 * sending and ends with the run. Prints its times and counts as JSON; `sinkStartUs` is the
 * monotonic clock (the one a V8 CPU profile's timestamps use) at that start, so a profile can be
 * cut to the sink phase (bench/lib/profile.ts --from=).
 * Usage: node bench/sink/worker.ts <config.yaml>
 */
import { openSyncline } from "../../src/host/open.ts";
import { silentLogger } from "../../src/sdk/logger.ts";
import { peakRssMb, report } from "../lib/child.ts";

const config = process.argv[2]!;
const app = await openSyncline(config, { logger: silentLogger });
const opened = performance.now();
let sinkStart: number | undefined;
let sinkStartUs = 0;
let sinkCpu: NodeJS.CpuUsage | undefined;
app.engine.on("progress", ({ phase }) => {
  if (phase !== "sending" || sinkStart !== undefined) return;
  sinkStart = performance.now();
  sinkStartUs = Number(process.hrtime.bigint() / 1000n);
  sinkCpu = process.cpuUsage();
});
const cpuBefore = process.cpuUsage();
const run = await app.engine.runNow("people");
const finished = performance.now();
const cpu = process.cpuUsage(cpuBefore);
const sinkCpuUsed = process.cpuUsage(sinkCpu);
await app.close();
report({
  status: run.status,
  error: run.error,
  counts: run.counts,
  runMs: finished - opened,
  sinkMs: finished - (sinkStart ?? finished),
  sinkStartUs,
  cpuMs: (cpu.user + cpu.system) / 1000,
  /** CPU time of the sink phase (user + system, all threads): steadier than wall time on a shared machine. */
  sinkCpuMs: sinkCpu ? (sinkCpuUsed.user + sinkCpuUsed.system) / 1000 : 0,
  peakRssMb: peakRssMb(),
});
