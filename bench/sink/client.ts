/**
 * The receiver's ceiling: a bare client POSTing the very bodies the engine sent (kept by the
 * receiver, one a line) with Node's own fetch, `concurrency` requests in flight, bodies built
 * before the clock starts. Nothing else runs in its process: no plan, no state, no ledger.
 * Prints `{ ms, requests }`. Usage: node bench/sink/client.ts <url> <bodies-file> <concurrency>
 */
import { readFileSync } from "node:fs";
import { report } from "../lib/child.ts";

const [url, file, concurrencyArg] = process.argv.slice(2) as [string, string, string];
const bodies = readFileSync(file, "utf8").split("\n").filter(Boolean);
const concurrency = Number(concurrencyArg);
let next = 0;

async function lane(): Promise<void> {
  while (next < bodies.length) {
    const body = bodies[next++]!;
    const response = await fetch(url, { method: "POST", body, headers: { "content-type": "application/json" } });
    // The engine reads every answer (a receiver may send per-record results): so does the client.
    await response.text();
    if (!response.ok) throw new Error(`receiver answered ${response.status}`);
  }
}

const started = performance.now();
await Promise.all(Array.from({ length: concurrency }, lane));
report({ ms: performance.now() - started, requests: bodies.length });
