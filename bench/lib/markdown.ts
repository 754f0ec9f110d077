/**
 * Prints bench/results/latest.json as the Markdown tables of BENCHMARKS.md.
 * Usage: node bench/lib/markdown.ts [results.json]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type DeltaFigures, LOW_MEMORY, type PhaseFigures } from "../delta/scenario.ts";
import type { NaiveFigures } from "../naive/scenario.ts";
import type { PacingFigures } from "../pacing/scenario.ts";
import type { ServiceFigures } from "../service/scenario.ts";
import type { WarehouseFigures } from "../warehouse-diff.ts";
import type { RssFigures } from "../warehouse-rss.ts";
import { compact, round } from "./stats.ts";

interface Results {
  date: string;
  durationS: number;
  machine: { cores: number; cpu: string; memoryGb: number; node: string };
  args: { repeat: number };
  delta?: DeltaFigures[];
  pacing?: PacingFigures;
  naive?: NaiveFigures;
  service?: ServiceFigures;
  warehouse?: { duckdb: WarehouseFigures[]; postgresRss: RssFigures[] };
}

const path = process.argv[2] ?? join(import.meta.dirname, "..", "results", "latest.json");
const r = JSON.parse(readFileSync(path, "utf8")) as Results;
const out: string[] = [];
const row = (cells: Array<string | number>) => out.push(`| ${cells.join(" | ")} |`);
const s = (ms: number) => `${round(ms / 1000, 2)} s`;

out.push(
  `Measured ${r.date.slice(0, 10)} on ${r.machine.cores} cores (${r.machine.cpu}), ${r.machine.memoryGb} GB, Node ${r.machine.node}; the full suite took ${r.durationS} s.`,
  "",
);
if (r.delta) {
  out.push(
    "| rows | run | plan rows/s | run rows/s | plan | run | peak RSS | baseline | plan ÷ baseline | plan ÷ hash() floor |",
  );
  out.push("|---|---|---|---|---|---|---|---|---|---|");
  const phase = (rows: number, label: string, f: PhaseFigures, baseline: string[]) =>
    row([
      compact(rows),
      `${label} (${f.runs})`,
      compact(f.planRowsPerSec),
      compact(f.runRowsPerSec),
      s(f.planMs),
      s(f.runMs),
      `${f.peakRssMb} MB`,
      ...baseline,
    ]);
  for (const d of r.delta) {
    const floor = d.firstToFile.stateFloorMs;
    phase(d.rows, "first", d.firstToFile, [
      `COPY ${s(d.firstToFile.copyMs)}`,
      `run ÷ COPY ${d.firstToFile.vsCopy}×`,
      floor === undefined ? "" : `state writes alone ${s(floor)} = ${d.firstToFile.stateFloorVsCopy}× COPY`,
    ]);
    phase(d.rows, "second", d.second, [s(d.baseline.ms), `**${d.planVsBaseline}×**`, `${d.planVsFloor}×`]);
    if (d.secondLowMemory)
      phase(d.rows, `second, ${LOW_MEMORY.threads} thread / ${LOW_MEMORY.memoryLimit}`, d.secondLowMemory, [
        s(d.baseline.ms),
        `${d.planLowMemoryVsBaseline}×`,
        "",
      ]);
  }
  const at = (rows: number) => r.delta!.find((d) => d.rows === rows);
  const [m1, m10] = [at(1_000_000), at(10_000_000)];
  if (m1 && m10) {
    const growth = (a: number, b: number) => round(b / a, 2);
    out.push(
      "",
      `Peak RSS growth 1M → 10M rows: first run ${growth(m1.firstToFile.peakRssMb, m10.firstToFile.peakRssMb)}×, second run ${growth(m1.second.peakRssMb, m10.second.peakRssMb)}×.`,
    );
  }
  out.push("");
}
if (r.pacing) {
  const p = r.pacing;
  out.push("| case | records | records/s | share of ceiling | 429s | delivered |", "|---|---|---|---|---|---|");
  row([
    `declared limit (median of ${p.paced.runs})`,
    p.records,
    p.paced.recordsPerSecond,
    `**${round(p.paced.share * 100, 1)}%**`,
    `${p.paced.rateLimited} (max ${p.paced.maxRateLimited})`,
    p.paced.delivered,
  ]);
  row([
    "fake also throttles",
    p.storm.records,
    round(p.storm.records / p.storm.seconds),
    "",
    p.storm.rateLimited,
    `${p.storm.delivered}, ${p.storm.failed} failed`,
  ]);
  out.push("");
}
if (r.naive) {
  const n = r.naive;
  out.push(
    "| run | Syncline sent | script sent | sent ratio | Syncline time | script time | time ratio |",
    "|---|---|---|---|---|---|---|",
  );
  row([
    "first",
    n.syncline.first.sent,
    n.naive.first.sent,
    n.ratios.firstSent,
    s(n.syncline.first.ms),
    s(n.naive.first.ms),
    `**${n.ratios.firstTime}**`,
  ]);
  row([
    "second",
    n.syncline.second.sent,
    n.naive.second.sent,
    `**${n.ratios.secondSent}**`,
    s(n.syncline.second.ms),
    s(n.naive.second.ms),
    `**${n.ratios.secondTime}**`,
  ]);
  out.push("");
}
if (r.service) {
  const v = r.service;
  out.push("| measure | value |", "|---|---|");
  row([`start-up to ready (median of ${v.startups})`, `${v.startupMs.median} ms (max ${v.startupMs.max})`]);
  row([`trigger latency over ${v.triggers} requests`, `p50 ${v.triggerMs.p50} ms, p99 ${v.triggerMs.p99} ms`]);
}
if (r.warehouse) {
  out.push(
    "",
    "| rows | delta | rows out of the warehouse | plan | SQL diff, rows read | plan ÷ SQL diff | run | peak RSS | peak JS heap |",
    "|---|---|---|---|---|---|---|---|---|",
  );
  for (const w of r.warehouse.duckdb) {
    row([
      compact(w.rows),
      compact(Object.values(w.delta).reduce((a, b) => a + b, 0)),
      Object.entries(w.second.rowsFromWarehouse)
        .map(([label, n]) => `${label} ${n}`)
        .join(", "),
      s(w.second.planMs),
      s(w.baseline.ms),
      `**${w.planVsBaseline}×**`,
      s(w.second.runMs),
      `${w.second.peakRssMb} MB`,
      `${w.second.peakHeapMb} MB`,
    ]);
  }
  if (r.warehouse.postgresRss.length > 0) {
    out.push(
      "",
      "| Postgres model rows | changed | rows out | plan | peak RSS | peak JS heap |",
      "|---|---|---|---|---|---|",
    );
    for (const p of r.warehouse.postgresRss) {
      row([
        compact(p.rows),
        compact(p.changed),
        Object.entries(p.rowsFromWarehouse)
          .map(([label, n]) => `${label} ${n}`)
          .join(", "),
        s(p.planMs),
        `${p.peakRssMb} MB`,
        `${p.peakHeapMb} MB`,
      ]);
    }
  }
}
process.stdout.write(`${out.join("\n")}\n`);
