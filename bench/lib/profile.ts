/**
 * Summarises a V8 CPU profile (node --cpu-prof): self time per function, top N.
 * Usage: node bench/lib/profile.ts <file.cpuprofile> [N] [--from=<µs>]
 * `--from=`: only samples taken at or after that monotonic time (µs, the clock of the profile's
 * timestamps and of process.hrtime): one phase of a run, as bench/sink/worker.ts reports it.
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export function selfTimes(profile: Profile, fromUs = 0): Array<{ name: string; ms: number }> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (at < fromUs) continue;
    const node = byId.get(profile.samples[i]!)!;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || "(anonymous)"} ${url ? `${basename(url)}:${lineNumber + 1}` : ""}`.trim();
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  return [...self.entries()].map(([name, ms]) => ({ name, ms })).sort((a, b) => b.ms - a.ms);
}

if (import.meta.main) {
  const [file, top] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const fromUs = Number(process.argv.find((a) => a.startsWith("--from="))?.slice(7) ?? 0);
  const profile = JSON.parse(readFileSync(file!, "utf8")) as Profile;
  const total = (profile.endTime - Math.max(profile.startTime, fromUs)) / 1000;
  process.stdout.write(`total ${Math.round(total)} ms\n`);
  for (const { name, ms } of selfTimes(profile, fromUs).slice(0, Number(top ?? 25))) {
    process.stdout.write(`${String(Math.round(ms)).padStart(7)} ms  ${name}\n`);
  }
}
