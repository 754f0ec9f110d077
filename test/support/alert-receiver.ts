import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read the payloads they check field by field
  json: any;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Answer this much later (a slow channel); `Infinity` never answers. */
  delayMs?: number;
}

/**
 * A real HTTP endpoint on a free loopback port that plays an alert channel (a webhook, Slack,
 * PagerDuty): records every request and answers as the test says (by default 200 "ok").
 */
export class AlertReceiver {
  readonly requests: ReceivedRequest[] = [];
  answer: (request: ReceivedRequest, index: number) => Answer = () => ({ status: 200, body: "ok" });
  url = "";
  private server: Server | undefined;
  private waiters: Array<() => void> = [];

  async start(path = "/alerts"): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(body);
        } catch {}
        const received = { at: Date.now(), path: request.url ?? "", headers: request.headers, body, json };
        this.requests.push(received);
        for (const wake of this.waiters.splice(0)) wake();
        const answer = this.answer(received, this.requests.length - 1);
        if (answer.delayMs === Number.POSITIVE_INFINITY) return;
        setTimeout(() => {
          response.writeHead(answer.status, answer.headers ?? { "content-type": "text/plain" }).end(answer.body ?? "");
        }, answer.delayMs ?? 0);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
    return this;
  }

  /** Resolves once `count` requests have arrived; rejects after `timeoutMs`. */
  async received(count: number, timeoutMs = 10_000): Promise<ReceivedRequest[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.requests.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} request(s), got ${this.requests.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.requests;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

/** A loopback URL where nothing listens: connections are refused. */
export async function unreachableUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/alerts`;
}
