/**
 * What a user would write without Syncline: read the whole model, send every row to HubSpot's
 * batch upsert in batches of 100, one call after another, waiting out a 429's Retry-After.
 * No snapshot, so every run sends everything.
 *   node bench/naive/send-everything.ts <warehouse.duckdb> <hubspot url> <token>
 */
import { DuckDBInstance } from "@duckdb/node-api";

export interface NaiveResult {
  sent: number;
  calls: number;
  rateLimited: number;
  ms: number;
}

export async function sendEverything(
  warehouse: string,
  url: string,
  token: string,
  batchSize = 100,
): Promise<NaiveResult> {
  const started = performance.now();
  const instance = await DuckDBInstance.create(warehouse, { access_mode: "READ_ONLY" });
  const connection = await instance.connect();
  const reader = await connection.runAndReadAll("SELECT email, first_name, last_name FROM people");
  const rows = reader.getRowObjectsJS() as Array<{ email: string; first_name: string; last_name: string }>;
  connection.closeSync();
  instance.closeSync();
  const result: NaiveResult = { sent: 0, calls: 0, rateLimited: 0, ms: 0 };
  for (let i = 0; i < rows.length; i += batchSize) {
    const inputs = rows.slice(i, i + batchSize).map((row) => ({
      idProperty: "email",
      id: row.email,
      properties: { email: row.email, firstname: row.first_name, lastname: row.last_name },
    }));
    for (;;) {
      result.calls++;
      const response = await fetch(`${url}/crm/v3/objects/contacts/batch/upsert`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ inputs }),
      });
      await response.arrayBuffer();
      if (response.status === 429) {
        result.rateLimited++;
        const seconds = Number(response.headers.get("retry-after") ?? "1");
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      if (!response.ok) throw new Error(`HubSpot answered ${response.status}`);
      result.sent += inputs.length;
      break;
    }
  }
  result.ms = performance.now() - started;
  return result;
}

if (import.meta.main) {
  const [warehouse, url, token] = process.argv.slice(2);
  console.log(JSON.stringify(await sendEverything(warehouse!, url!, token!)));
}
