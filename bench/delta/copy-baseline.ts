/**
 * The first run's baseline: DuckDB writing the model's mapped columns as JSON lines by itself
 * (`COPY (SELECT …) TO '…jsonl' (FORMAT json)`), in its own process with DuckDB's defaults
 * (every core, no memory limit) — the warehouse's own export speed, which a first sync to the
 * `file` destination is measured against (issue 16: ≤ 3×).
 * Usage: node bench/delta/copy-baseline.ts <warehouse.duckdb> <out.jsonl>
 */
import { rmSync, statSync } from "node:fs";
import { DuckDBInstance } from "@duckdb/node-api";
import { peakRssMb, report } from "../lib/child.ts";
import { MAPPING } from "./data.ts";

const [warehouse, out] = [process.argv[2]!, process.argv[3]!];
const instance = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
const connection = await instance.connect();
const columns = Object.entries(MAPPING).map(([field, column]) => `${column} AS ${field}`);
const started = performance.now();
await connection.run(
  `COPY (SELECT id, ${columns.join(", ")} FROM customers) TO '${out.replaceAll("'", "''")}' (FORMAT json)`,
);
const ms = performance.now() - started;
const bytes = statSync(out).size;
rmSync(out, { force: true });
connection.closeSync();
instance.closeSync();
report({ ms, bytes, peakRssMb: peakRssMb() });
