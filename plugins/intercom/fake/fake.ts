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
import { FAKE_TOKEN, type IntercomFakeOptions } from "./options.ts";
import { type Answer, intercomError, route } from "./routes.ts";
import { ContactStore, type StoredContact } from "./store.ts";

export interface IntercomFake {
  /** The fake API as one fetch-style handler. */
  fetch(request: Request): Promise<Response>;
  /** Live contacts, in creation order (`object` is always `contacts`). */
  records(object?: string): StoredContact[];
  readonly calls: readonly FakeCall[];
  readonly writes: readonly FakeWrite[];
  readonly counters: Readonly<FakeCounters>;
  /** The `Intercom-Version` header of every call, in order. */
  readonly versions: readonly (string | null)[];
  fail(fault: Fault): void;
  /** The next `times` calls get 429 with X-RateLimit-Reset. */
  throttle(times: number): void;
  setLatency(latency: number | ((request: Request) => number)): void;
  setRateLimit(limit: { requests: number; windowMs: number }): void;
  setToken(token: string): void;
  reset(): void;
}

/** A faithful in-memory Intercom contacts API with its 10-second rate-limit windows. */
export function createIntercomFake(options: IntercomFakeOptions = {}): IntercomFake {
  const recorder = new FakeRecorder();
  const store = new ContactStore(recorder);
  const faults = new FaultQueue();
  const versions: Array<string | null> = [];
  let token = options.accessToken ?? FAKE_TOKEN;
  let latency = options.latencyMs ?? 0;
  let window: RateWindow = fixedWindow(options.rateLimit?.requests ?? 1666, options.rateLimit?.windowMs ?? 10_000);

  const limited = (resetAt: number): Answer & { headers: Record<string, string> } => ({
    ...intercomError(
      429,
      "rate_limit_exceeded",
      `Exceeded rate limit of ${window.requests} in ${window.windowMs / 1000} seconds`,
      "rate_limited",
    ),
    headers: rateHeaders(window.requests, 0, resetAt),
  });

  async function answer(request: Request, url: URL): Promise<Answer & { headers?: Record<string, string> }> {
    const fault = faults.take(request);
    if (fault?.status === 429) return limited(Date.now() + window.windowMs);
    if (fault)
      return {
        status: fault.status,
        body: fault.body ?? { type: "error.list", errors: [{ code: "server_error", message: "Server Error" }] },
        records: 0,
        refused: "fault",
      };
    if (request.headers.get("authorization") !== `Bearer ${token}`) {
      return intercomError(401, "unauthorized", "Access Token Invalid", "unauthorized");
    }
    const version = request.headers.get("intercom-version");
    if (version !== null && !/^(\d+\.\d+|Unstable)$/.test(version)) {
      return intercomError(400, "intercom_version_invalid", `The requested version could not be found: ${version}`);
    }
    const decision = window.take();
    if (!decision.allowed) return limited(decision.resetAt);
    const routed = await route(store, options, request, url);
    return { ...routed, headers: rateHeaders(window.requests, decision.remaining, decision.resetAt) };
  }

  return {
    async fetch(request) {
      const at = Date.now();
      const url = new URL(request.url);
      versions.push(request.headers.get("intercom-version"));
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
      return new Response(JSON.stringify(result.body), {
        status: result.status,
        headers: { "content-type": "application/json", ...result.headers },
      });
    },
    records: () => store.list().map((contact) => structuredClone(contact)),
    calls: recorder.calls,
    writes: recorder.writes,
    counters: recorder.counters,
    versions,
    fail: (fault) => faults.add(fault),
    throttle: (times) => faults.add({ status: 429, times }),
    setLatency(next) {
      latency = next;
    },
    setRateLimit(limit) {
      window = fixedWindow(limit.requests, limit.windowMs);
    },
    setToken(next) {
      token = next;
    },
    reset() {
      store.clear();
      recorder.clear();
      faults.clear();
      window.reset();
      versions.length = 0;
    },
  };
}

function rateHeaders(limit: number, remaining: number, resetAt: number): Record<string, string> {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(Math.ceil(resetAt / 1000)),
  };
}
