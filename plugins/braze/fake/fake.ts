import {
  type FakeCall,
  type FakeCounters,
  FakeRecorder,
  type FakeWrite,
  type Fault,
  FaultQueue,
  fixedWindow,
  type RateWindow,
  sleep,
} from "syncline/sdk/testing";
import { type BrazeFakeOptions, FAKE_API_KEY } from "./options.ts";
import { type Answer, brazeMessage, remove, track } from "./routes.ts";
import { type StoredUser, UserStore } from "./store.ts";

export interface BrazeFake {
  /** The fake REST API as one fetch-style handler. */
  fetch(request: Request): Promise<Response>;
  /** Users Braze holds, in creation order. */
  records(): StoredUser[];
  readonly calls: readonly FakeCall[];
  readonly writes: readonly FakeWrite[];
  readonly counters: Readonly<FakeCounters>;
  fail(fault: Fault): void;
  /** The next `times` calls get 429 with X-RateLimit-Reset. */
  throttle(times: number): void;
  setLatency(latency: number | ((request: Request) => number)): void;
  setApiKey(key: string): void;
  reset(): void;
}

type Routed = Answer & { headers?: Record<string, string> };

const ENDPOINTS = {
  "/users/track": { permission: "users.track", handle: track },
  "/users/delete": { permission: "users.delete", handle: remove },
} as const;

/** A faithful in-memory Braze user API: /users/track and /users/delete with their own limits. */
export function createBrazeFake(options: BrazeFakeOptions = {}): BrazeFake {
  const recorder = new FakeRecorder();
  const store = new UserStore(recorder);
  const faults = new FaultQueue();
  const permissions = new Set(options.permissions ?? ["users.track", "users.delete"]);
  let key = options.apiKey ?? FAKE_API_KEY;
  let latency = options.latencyMs ?? 0;
  const windows: Record<string, RateWindow> = {
    "/users/track": fixedWindow(options.rateLimit?.requests ?? 3_000, options.rateLimit?.windowMs ?? 3_000),
    "/users/delete": fixedWindow(
      options.deleteRateLimit?.requests ?? 20_000,
      options.deleteRateLimit?.windowMs ?? 60_000,
    ),
  };

  async function answer(request: Request, path: string): Promise<Routed> {
    const window = windows[path] ?? windows["/users/track"]!;
    const fault = faults.take(request);
    if (fault?.status === 429) return limited(window, Date.now() + window.windowMs);
    if (fault)
      return {
        status: fault.status,
        body: fault.body ?? { message: "Internal Server Error" },
        records: 0,
        refused: "fault",
      };
    if (request.headers.get("authorization") !== `Bearer ${key}`) {
      return brazeMessage(401, "Invalid API key: the key is unknown or missing", "unauthorized");
    }
    const endpoint = ENDPOINTS[path as keyof typeof ENDPOINTS];
    if (!endpoint || request.method !== "POST") return brazeMessage(404, "Not Found");
    if (!permissions.has(endpoint.permission)) {
      return brazeMessage(403, `The API key does not have the ${endpoint.permission} permission`, "unauthorized");
    }
    const decision = window.take();
    if (!decision.allowed) return limited(window, decision.resetAt);
    const body = await request.json().catch(() => undefined);
    return {
      ...endpoint.handle(store, options, body),
      headers: rateHeaders(window, decision.remaining, decision.resetAt),
    };
  }

  return {
    async fetch(request) {
      const at = Date.now();
      const url = new URL(request.url);
      await sleep(typeof latency === "function" ? latency(request) : latency);
      const result = await answer(request, url.pathname);
      recorder.call({
        at,
        method: request.method,
        path: url.pathname,
        status: result.status,
        records: result.records,
        refused: result.refused,
      });
      return new Response(JSON.stringify(result.body), {
        status: result.status,
        headers: { "content-type": "application/json", ...result.headers },
      });
    },
    records: () => store.list().map((user) => structuredClone(user)),
    calls: recorder.calls,
    writes: recorder.writes,
    counters: recorder.counters,
    fail: (fault) => faults.add(fault),
    throttle: (times) => faults.add({ status: 429, times }),
    setLatency(next) {
      latency = next;
    },
    setApiKey(next) {
      key = next;
    },
    reset() {
      store.clear();
      recorder.clear();
      faults.clear();
      for (const window of Object.values(windows)) window.reset();
    },
  };
}

function limited(window: RateWindow, resetAt: number): Routed {
  return {
    ...brazeMessage(429, "Too Many Requests: rate limit exceeded", "rate_limited"),
    headers: rateHeaders(window, 0, resetAt),
  };
}

/** Braze's headers on every answer: the endpoint's limit, what is left, and the reset (Unix seconds). */
function rateHeaders(window: RateWindow, remaining: number, resetAt: number): Record<string, string> {
  return {
    "x-ratelimit-limit": String(window.requests),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(Math.ceil(resetAt / 1000)),
  };
}
