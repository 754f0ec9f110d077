import type { Hono } from "hono";
import * as v from "valibot";
import { createLogger } from "../../src/host/logger.ts";
import { APP_OPTIONS, createApp } from "../../src/server/app.ts";
import type { AppConfig, AppDeps, AppEnv, Schedule } from "../../src/server/deps.ts";
import { createMetrics, type Metrics } from "../../src/server/metrics.ts";
import { LiveProgress } from "../../src/server/progress.ts";
import { appStores } from "../../src/server/stores.ts";
import { Harness, type HarnessOptions, people } from "../support/harness.ts";

export const TOKEN = "test-token-0123456789abcdef";
/** A secret that appears in the sync's config: it must never leave in a response. */
export const SECRET = "sk_live_do-not-leak-42";
export const HMAC_SECRET = "hmac-secret-0123456789abcdef";

export interface AppHarnessOptions extends HarnessOptions {
  rows?: number;
  schedule?: string;
  scheduler?: Schedule;
  bodyLimitBytes?: number;
  now?: () => number;
  console?: { enabled: boolean; sessionMinutes: number };
}

/**
 * The real engine and state (test/support Harness: DuckDB warehouse, SQLite state, an
 * in-memory destination) behind the real app, called through `app.request()`.
 */
export class AppHarness {
  readonly h: Harness;
  readonly logs: string[] = [];
  app!: Hono<AppEnv>;
  deps!: AppDeps;
  metrics!: Metrics;
  progress!: LiveProgress;
  private readonly options: AppHarnessOptions;

  constructor(options: AppHarnessOptions = {}) {
    this.options = options;
    this.h = new Harness(options);
  }

  async setup(): Promise<this> {
    await this.h.setup();
    await this.h.sql(people(1, this.options.rows ?? 10));
    this.build();
    return this;
  }

  /** A restart of the service: a new engine and app over the same state file. */
  async restart(): Promise<void> {
    this.metrics.close();
    this.progress.close();
    await this.h.reconfigure({});
    this.build();
  }

  private build(): void {
    const config: AppConfig = {
      server: {
        port: 0,
        host: "127.0.0.1",
        tokens: [TOKEN],
        hmacSecret: HMAC_SECRET,
        shutdownGraceMs: 1000,
        console: this.options.console ?? { enabled: true, sessionMinutes: 60 },
      },
      secrets: [TOKEN, HMAC_SECRET, SECRET],
      syncs: new Map([
        [
          "people",
          {
            spec: { object: "people", mode: this.options.mode ?? "upsert" },
            source: { name: "warehouse", type: "duckdb" },
            destination: { name: "memory", type: "memory" },
            schedule: this.options.schedule,
          },
        ],
      ]),
      describeSync: (name) =>
        name === "people"
          ? { source: "warehouse", destination: "memory", object: "people", options: { apiKey: SECRET } }
          : {},
    };
    const logger = createLogger({ level: "debug", secrets: config.secrets, write: (line) => this.logs.push(line) });
    const stores = appStores(this.h.state.sqlite);
    this.metrics = createMetrics({
      engine: this.h.engine,
      stores,
      destinations: new Map([["memory", { limiter: this.h.engine.sync("people").destination.limiter }]]),
    });
    this.progress = new LiveProgress(this.h.engine);
    this.deps = {
      engine: this.h.engine,
      config,
      state: this.h.state,
      stores,
      logger,
      metrics: this.metrics,
      progress: this.progress,
      scheduler: this.options.scheduler,
    };
    this.app = createApp(this.deps, {
      ...APP_OPTIONS,
      bodyLimitBytes: this.options.bodyLimitBytes ?? APP_OPTIONS.bodyLimitBytes,
      now: this.options.now,
    });
  }

  /** A request with the bearer token unless headers say otherwise. */
  request(path: string, init: RequestInit & { token?: string | null } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? TOKEN : init.token;
    if (token !== null && !headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
    return Promise.resolve(this.app.request(path, { ...init, headers }));
  }

  post(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  private closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.metrics?.close();
    this.progress?.close();
    await this.h.close();
  }
}

/** Parses a response body with a response schema: the API matches what /openapi.json says. */
export async function body<S extends v.GenericSchema>(response: Response, schema: S): Promise<v.InferOutput<S>> {
  return v.parse(schema, await response.json());
}

export function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Reads until `ok` holds (polling every 20 ms), or fails after `ms` with the last value. */
export async function until<T>(read: () => Promise<T> | T, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last value ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
