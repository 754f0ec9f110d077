import type { Hono } from "hono";
import { silentLogger } from "../../src/sdk/logger.ts";
import { createApp } from "../../src/server/app.ts";
import type { AppConfig, AppEnv, Schedule } from "../../src/server/deps.ts";
import { createMetrics, type Metrics } from "../../src/server/metrics.ts";
import { appStores } from "../../src/server/stores.ts";
import type { SequenceHarness } from "../support/sequence-harness.ts";
import { HMAC_SECRET, TOKEN } from "./support.ts";

/** The real app around a SequenceHarness's engine and sequencer, called through `app.request()`. */
export class SequenceApp {
  readonly app: Hono<AppEnv>;
  readonly metrics: Metrics;

  constructor(harness: SequenceHarness, sequenceScheduler?: Schedule) {
    const config: AppConfig = {
      server: {
        port: 0,
        host: "127.0.0.1",
        tokens: [TOKEN],
        hmacSecret: HMAC_SECRET,
        shutdownGraceMs: 1000,
        console: { enabled: false, sessionMinutes: 60 },
      },
      secrets: [TOKEN, HMAC_SECRET],
      syncs: new Map(),
      describeSync: () => ({}),
    };
    const stores = appStores(harness.h.state.sqlite);
    this.metrics = createMetrics({
      engine: harness.engine,
      stores,
      destinations: new Map(),
      sequences: harness.sequencer,
    });
    this.app = createApp({
      engine: harness.engine,
      config,
      state: harness.h.state,
      stores,
      logger: silentLogger,
      metrics: this.metrics,
      sequences: harness.sequencer,
      sequenceScheduler,
    });
  }

  request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization") && !headers.has("x-syncline-signature")) {
      headers.set("authorization", `Bearer ${TOKEN}`);
    }
    return Promise.resolve(this.app.request(path, { ...init, headers }));
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }
}
