import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultKind =
  | "http_500"
  | "http_503"
  | "timeout"
  | "reset_before"
  | "reset_after"
  | "slow"
  | "rate_limit_retry_after"
  | "rate_limit_bare"
  | "record_rejection";

export interface Faults {
  /** Probability that a call meets one of the call-level faults. */
  rate: number;
  kinds: FaultKind[];
  /** Keys whose records are refused (per-record error) while listed. */
  rejectKeys: Set<string>;
}

interface Batch {
  operation: string;
  records: Array<{ key: string; fields: Record<string, unknown> }>;
}

/**
 * A webhook receiver that misbehaves on purpose: 5xx, responses slower than the client's
 * timeout (after applying the write: the in-doubt case), connections reset before or after
 * applying, 429 storms with and without Retry-After, per-record rejections. It records every
 * write with the record's `version`, so a test can prove no older value ever overwrote a
 * newer one.
 */
export class ChaosReceiver {
  readonly records = new Map<string, Record<string, unknown>>();
  readonly injected = new Map<FaultKind, number>();
  staleWrites = 0;
  writes = 0;
  faults: Faults = { rate: 0, kinds: [], rejectKeys: new Set() };
  random: () => number = Math.random;
  timeoutMs = 400;
  url = "";
  private readonly highest = new Map<string, number>();
  private server: Server | undefined;

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const batch = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Batch;
        const fault =
          this.random() < this.faults.rate
            ? this.faults.kinds[Math.floor(this.random() * this.faults.kinds.length)]
            : undefined;
        if (fault) this.injected.set(fault, (this.injected.get(fault) ?? 0) + 1);
        const reply = (status: number, body: unknown, headers: Record<string, string> = {}) =>
          response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
        switch (fault) {
          case "http_500":
          case "http_503":
            return reply(fault === "http_500" ? 500 : 503, { error: "injected" });
          case "rate_limit_retry_after":
            return reply(429, { error: "slow down" }, { "retry-after": "0.05" });
          case "rate_limit_bare":
            return reply(429, { error: "slow down" });
          case "reset_before":
            return request.socket.destroy();
          default:
        }
        const results = this.apply(batch);
        if (fault === "reset_after") return request.socket.destroy();
        const delay = fault === "timeout" ? this.timeoutMs + 200 : fault === "slow" ? this.timeoutMs / 4 : 0;
        setTimeout(() => {
          if (!response.destroyed) reply(200, { results });
        }, delay);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  private apply(batch: Batch) {
    return batch.records.map((record) => {
      if (batch.operation !== "delete" && this.faults.rejectKeys.has(record.key)) {
        this.injected.set("record_rejection", (this.injected.get("record_rejection") ?? 0) + 1);
        return { key: record.key, status: "error", code: "INVALID", message: "refused for now" };
      }
      this.writes++;
      if (batch.operation === "delete") {
        this.records.delete(record.key);
      } else {
        const version = Number(record.fields.version);
        if (version < (this.highest.get(record.key) ?? Number.NEGATIVE_INFINITY)) this.staleWrites++;
        this.highest.set(record.key, Math.max(version, this.highest.get(record.key) ?? version));
        this.records.set(record.key, record.fields);
      }
      return { key: record.key, status: "ok" };
    });
  }

  /** Forgets what the versions were (a key reused after deletion starts again). */
  forgetVersion(key: string): void {
    this.highest.delete(key);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}
