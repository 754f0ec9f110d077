import {
  type FakeCall,
  type FakeCounters,
  FakeRecorder,
  type FakeWrite,
  type Fault,
  FaultQueue,
  type RateWindow,
  sleep,
  slidingWindow,
} from "syncline/sdk/testing";
import { DEFAULT_OBJECTS, FAKE_TOKEN, type HubSpotFakeOptions } from "./options.ts";
import { type Routed, route } from "./routes.ts";
import { HubSpotStore, type StoredRecord } from "./store.ts";

export interface HubSpotFake {
  /** The fake API as one fetch-style handler; msw handlers and the loopback server use it. */
  fetch(request: Request): Promise<Response>;
  /** What HubSpot holds for an object type (archived records excluded), in creation order. */
  records(object: string): StoredRecord[];
  readonly calls: readonly FakeCall[];
  readonly writes: readonly FakeWrite[];
  readonly counters: Readonly<FakeCounters>;
  readonly token: string;
  /** Answers matching requests with an error (5xx by default bodies, or your own). */
  fail(fault: Fault): void;
  /** A throttle storm: the next `times` requests get 429 with Retry-After. */
  throttle(times: number): void;
  setLatency(latency: number | ((request: Request) => number)): void;
  setRateLimit(limit: { requests: number; windowMs: number }): void;
  /** Midnight in the account's time zone: the daily count starts over. */
  resetDaily(): void;
  /** Any other token than the current one gets 401 (use to revoke a token mid-run). */
  setToken(token: string): void;
  /** Forgets records, logs, counters and faults. */
  reset(): void;
}

/** A faithful in-memory HubSpot CRM v3 (batch endpoints, rate limits, 207 multi-status). */
export function createHubSpotFake(options: HubSpotFakeOptions = {}): HubSpotFake {
  const recorder = new FakeRecorder();
  const store = new HubSpotStore({ ...DEFAULT_OBJECTS, ...options.objects }, recorder);
  const faults = new FaultQueue();
  const dailyLimit = options.dailyLimit ?? 1_000_000;
  let token = options.accessToken ?? FAKE_TOKEN;
  let latency = options.latencyMs ?? 0;
  let window: RateWindow = slidingWindow(options.rateLimit?.requests ?? 190, options.rateLimit?.windowMs ?? 10_000);
  let daily = options.dailyUsed ?? 0;
  const dayOf = new Intl.DateTimeFormat("en-CA", { timeZone: options.timeZone ?? "UTC", dateStyle: "short" });
  let today = dayOf.format(Date.now());
  /** The daily count, started over when the account's day changes. */
  const dailyCount = () => {
    const day = dayOf.format(Date.now());
    if (day !== today) {
      today = day;
      daily = 0;
    }
    return daily;
  };

  async function answer(request: Request, url: URL): Promise<Routed & { headers?: Record<string, string> }> {
    const fault = faults.take(request);
    if (fault) {
      if (fault.status === 429)
        return { ...rateLimited(window.windowMs, "TEN_SECONDLY_ROLLING"), records: 0, refused: "rate_limited" };
      const body = fault.body ?? { status: "error", message: "internal error", category: "INTERNAL_ERROR" };
      return { status: fault.status, body, headers: fault.headers, records: 0, refused: "fault" };
    }
    if (request.headers.get("authorization") !== `Bearer ${token}`) {
      return {
        status: 401,
        body: {
          status: "error",
          message: "Authentication credentials not found. This API supports OAuth 2.0 authentication.",
          correlationId: crypto.randomUUID(),
          category: "INVALID_AUTHENTICATION",
        },
        records: 0,
        refused: "unauthorized",
      };
    }
    if (dailyCount() >= dailyLimit) return { ...dailyLimited(dailyLimit), records: 0, refused: "quota_exhausted" };
    const decision = window.take();
    if (!decision.allowed) {
      return { ...rateLimited(decision.retryAfterMs, "TEN_SECONDLY_ROLLING"), records: 0, refused: "rate_limited" };
    }
    daily++;
    const routed = await route(
      {
        store,
        maxBatch: options.maxBatch ?? 100,
        invalidMode: options.invalidMode ?? "multi-status",
        validate: options.validate,
      },
      request,
      url,
    );
    return {
      ...routed,
      headers: {
        "x-hubspot-ratelimit-max": String(window.requests),
        "x-hubspot-ratelimit-remaining": String(decision.remaining),
        "x-hubspot-ratelimit-interval-milliseconds": String(window.windowMs),
        "x-hubspot-ratelimit-daily": String(dailyLimit),
        "x-hubspot-ratelimit-daily-remaining": String(dailyLimit - daily),
      },
    };
  }

  return {
    async fetch(request) {
      const at = Date.now();
      const url = new URL(request.url);
      await sleep(typeof latency === "function" ? latency(request) : latency);
      const result = await answer(request, url);
      recorder.call({
        at,
        method: request.method,
        path: url.pathname + url.search,
        status: result.status,
        records: result.records,
        refused: result.refused,
      });
      const headers = {
        ...(result.body === undefined ? {} : { "content-type": "application/json" }),
        ...result.headers,
      };
      return new Response(result.body === undefined ? null : JSON.stringify(result.body), {
        status: result.status,
        headers,
      });
    },
    records: (object) => store.list(store.resolve(object) ?? object).map((record) => structuredClone(record)),
    calls: recorder.calls,
    writes: recorder.writes,
    counters: recorder.counters,
    get token() {
      return token;
    },
    fail: (fault) => faults.add(fault),
    throttle: (times) => faults.add({ status: 429, times }),
    setLatency(next) {
      latency = next;
    },
    setRateLimit(limit) {
      window = slidingWindow(limit.requests, limit.windowMs);
    },
    setToken(next) {
      token = next;
    },
    resetDaily() {
      daily = 0;
    },
    reset() {
      store.clear();
      recorder.clear();
      faults.clear();
      window.reset();
      daily = 0;
    },
  };
}

/** The daily limit's 429: HubSpot names the policy and sends no Retry-After. */
function dailyLimited(limit: number) {
  return {
    status: 429,
    body: {
      status: "error",
      message: "You have reached your daily limit.",
      errorType: "RATE_LIMIT",
      correlationId: crypto.randomUUID(),
      policyName: "DAILY",
    },
    headers: { "x-hubspot-ratelimit-daily": String(limit), "x-hubspot-ratelimit-daily-remaining": "0" },
  };
}

function rateLimited(retryAfterMs: number, policyName: string) {
  const seconds =
    retryAfterMs >= 1000 ? String(Math.ceil(retryAfterMs / 1000)) : (Math.ceil(retryAfterMs) / 1000).toFixed(3);
  return {
    status: 429,
    body: {
      status: "error",
      message: "You have reached your ten_secondly_rolling limit.",
      errorType: "RATE_LIMIT",
      correlationId: crypto.randomUUID(),
      policyName,
    },
    headers: { "retry-after": seconds, "x-hubspot-ratelimit-remaining": "0" },
  };
}
