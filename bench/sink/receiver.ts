/**
 * The sink scenario's webhook receiver, in its own process so it never shares an event loop
 * with the engine or the bare client it is measured against. It accepts the webhook
 * destination's batches (`{ object, operation, records: [...] }`, plugins/webhook), parses each
 * body as a real receiver must, counts the records and answers 200 without per-record results
 * (the whole batch accepted). No rate limit.
 *   POST /hook     a batch
 *   GET  /stats    { requests, records, bytes } so far
 *   POST /record   keep every body from now on (what the bare client replays)
 *   POST /save     write the kept bodies, one a line, to the path in the body; stop keeping
 * Prints `{"port":N}` once listening. Usage: node bench/sink/receiver.ts
 */
import { writeFileSync } from "node:fs";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

const stats = { requests: 0, records: 0, bytes: 0 };
let kept: string[] | undefined;

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

const server = createServer(async (request, response) => {
  const body = await readBody(request);
  const json = { "content-type": "application/json" };
  if (request.method === "POST" && request.url === "/hook") {
    const { records } = JSON.parse(body) as { records: unknown[] };
    stats.requests++;
    stats.records += records.length;
    stats.bytes += Buffer.byteLength(body);
    kept?.push(body);
    response.writeHead(200, json).end(`{"received":${records.length}}`);
  } else if (request.url === "/stats") {
    response.writeHead(200, json).end(JSON.stringify(stats));
  } else if (request.url === "/record") {
    kept = [];
    response.writeHead(204).end();
  } else if (request.url === "/save") {
    writeFileSync(body, `${(kept ?? []).join("\n")}\n`);
    kept = undefined;
    response.writeHead(204).end();
  } else {
    response.writeHead(404).end();
  }
});
// Keep connections open between batches, as a production receiver behind a load balancer does.
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
