/**
 * The baseline: DuckDB computing the same delta by itself, in SQL, in its own process. The
 * previous version's hashes are in `bench_snapshot` (made from version 1); the current model
 * is hashed the same way and full-outer-joined with it on the key; the delta rows (with their
 * mapped columns) are materialised. Two hashes: md5 over the mapped columns as text (stable
 * across DuckDB versions, like Syncline's snapshot hash: the baseline) and DuckDB's own
 * 64-bit hash() (not stable across versions, so it cannot be kept in a snapshot: the floor).
 * Usage: node bench/delta/baseline.ts <warehouse.duckdb>
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { peakRssMb, report } from "../lib/child.ts";
import { baselineHashSql, COLUMNS, fastHashSql } from "./data.ts";

const instance = await DuckDBInstance.create(process.argv[2]!, { access_mode: "READ_ONLY" });
const connection = await instance.connect();

async function delta(hash: (alias: string) => string, column: string) {
  const started = performance.now();
  await connection.run(`CREATE OR REPLACE TEMP TABLE delta AS
    SELECT coalesce(c.id, s.id) AS id,
      CASE WHEN s.id IS NULL THEN 'added' WHEN c.id IS NULL THEN 'removed' ELSE 'changed' END AS change,
      ${COLUMNS.map((name) => `c.${name}`).join(", ")}
    FROM (SELECT *, ${hash("m")} AS h FROM customers m) c
    FULL OUTER JOIN (SELECT id, ${column} AS h FROM bench_snapshot) s ON c.id = s.id
    WHERE c.h IS DISTINCT FROM s.h`);
  const ms = performance.now() - started;
  const reader = await connection.runAndReadAll("SELECT change, count(*)::INTEGER FROM delta GROUP BY change");
  return { ms, counts: Object.fromEntries(reader.getRowsJS()) as Record<string, number> };
}

const md5 = await delta(baselineHashSql, "md5_hash");
const floor = await delta(fastHashSql, "fast_hash");
connection.closeSync();
instance.closeSync();
report({ ms: md5.ms, counts: md5.counts, floorMs: floor.ms, peakRssMb: peakRssMb() });
