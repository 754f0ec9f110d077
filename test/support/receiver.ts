import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedBatch {
  object: string;
  operation: string;
  records: Array<{ key: string; fields: Record<string, unknown> }>;
}

/**
 * A real HTTP receiver for the webhook destination: applies upserts and deletes to a map,
 * logs every batch, and can be slowed down or made to fail, so tests can crash a run mid-sink.
 */
export class Receiver {
  readonly records = new Map<string, Record<string, unknown>>();
  readonly batches: ReceivedBatch[] = [];
  delayMs = 0;
  /** The headers of the last request (to prove credentials were sent). */
  lastHeaders: Record<string, string | string[] | undefined> = {};
  /** Return a status to fail the whole call, or undefined to accept. */
  fail: (batch: ReceivedBatch) => number | undefined = () => undefined;
  onBatch: (batch: ReceivedBatch) => void = () => {};
  /** The body of a 200 answer (per-record results, or anything a receiver might say). */
  answer: (batch: ReceivedBatch) => unknown = () => ({});
  url = "";
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.lastHeaders = request.headers;
        const batch = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ReceivedBatch;
        setTimeout(() => {
          const status = this.fail(batch);
          if (status) {
            response.writeHead(status, { "content-type": "application/json" }).end('{"error":"injected"}');
            return;
          }
          for (const record of batch.records) {
            if (batch.operation === "delete") this.records.delete(record.key);
            else this.records.set(record.key, record.fields);
          }
          this.batches.push(batch);
          this.onBatch(batch);
          response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(this.answer(batch)));
        }, this.delayMs);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
