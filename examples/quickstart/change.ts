// Changes a few rows of the quick start's sample warehouse, so the next run has a delta:
//   node examples/quickstart/change.ts
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

const path = join(import.meta.dirname, ".syncline", "warehouse.duckdb");
const instance = await DuckDBInstance.create(path);
const connection = await instance.connect();
await connection.run(`UPDATE customers SET plan = 'pro' WHERE id IN (3, 6, 9)`);
await connection.run(`UPDATE customers SET churned = true WHERE id = 7`);
await connection.run(
  `INSERT INTO customers SELECT max(id) + 1, 'new' || (max(id) + 1) || '@example.com', 'Radia', 'Perlman', 'pro', 42.00, now(), false FROM customers`,
);
connection.closeSync();
instance.closeSync();
console.log("changed 3 rows, removed 1 (churned), added 1 — run the sync again to see only these 5 sent");
