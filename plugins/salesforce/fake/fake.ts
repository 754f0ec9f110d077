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
import { type Answer, sfError } from "./answer.ts";
import { type IngestJob, IngestJobs } from "./bulk.ts";
import { TokenIssuer } from "./oauth.ts";
import { DEFAULT_SOBJECTS, type SalesforceFakeOptions } from "./options.ts";
import { route } from "./routes.ts";
import { SObjectStore } from "./store.ts";

export interface SalesforceFake {
  /** The fake org as one fetch-style handler (token endpoint and REST API). */
  fetch(request: Request): Promise<Response>;
  /** Live records of an sObject type: `{Id, ...fields}`, in creation order. */
  records(sobject: string): Array<Record<string, unknown> & { Id: string }>;
  readonly jobs: ReadonlyMap<string, IngestJob>;
  readonly calls: readonly FakeCall[];
  readonly writes: readonly FakeWrite[];
  readonly counters: Readonly<FakeCounters & { tokensIssued: number }>;
  fail(fault: Fault): void;
  /**
   * The next `times` API calls get 403 REQUEST_LIMIT_EXCEEDED for the org's concurrent
   * long-running requests (ConcurrentPerOrgLongTxn): a short-lived refusal, unlike the
   * daily allocation (`dailyApiRequests`).
   */
  throttle(times: number): void;
  /** The daily allocation frees up (as 24 hours passing would). */
  resetAllocation(): void;
  /** The next `records` records written fail with UNABLE_TO_LOCK_ROW. */
  lockRows(records: number): void;
  /** Every issued access token becomes invalid (INVALID_SESSION_ID on its next use). */
  expireTokens(): void;
  setLatency(latency: number | ((request: Request) => number)): void;
  setRateLimit(limit: { requests: number; windowMs: number }): void;
  reset(): void;
}

/** A faithful in-memory Salesforce org: OAuth, sObject Collections, Bulk API 2.0 ingest. */
export function createSalesforceFake(options: SalesforceFakeOptions = {}): SalesforceFake {
  const recorder = new FakeRecorder();
  const store = new SObjectStore({ ...DEFAULT_SOBJECTS, ...options.objects }, recorder, options.failRecord);
  const jobs = new IngestJobs(store, options.maxBulkBytes ?? 150 * 1024 * 1024, options.bulkPolls ?? 1);
  const issuer = new TokenIssuer(options);
  const faults = new FaultQueue();
  let latency = options.latencyMs ?? 0;
  let window: RateWindow = slidingWindow(
    options.rateLimit?.requests ?? options.dailyApiRequests ?? 100_000,
    options.rateLimit?.windowMs ?? 86_400_000,
  );
  for (let i = 0; i < (options.apiRequestsUsed ?? 0); i++) window.take();
  let used = options.apiRequestsUsed ?? 0;
  const usage = () => ({ "sforce-limit-info": `api-usage=${Math.min(used, window.requests)}/${window.requests}` });

  async function answer(request: Request, url: URL): Promise<Answer & { headers?: Record<string, string> }> {
    const fault = faults.take(request);
    if (fault?.status === 403 && fault.body === undefined) {
      const refused = sfError(403, "REQUEST_LIMIT_EXCEEDED", "ConcurrentPerOrgLongTxn Limit exceeded.", 0);
      return { ...refused, refused: "rate_limited", headers: usage() };
    }
    if (fault) {
      return {
        status: fault.status,
        body: fault.body ?? [{ errorCode: "SERVER_UNAVAILABLE", message: "Service unavailable" }],
        records: 0,
        refused: "fault",
      };
    }
    if (url.pathname === "/services/oauth2/token" && request.method === "POST") {
      return { ...(await issuer.token(request)), records: 0 };
    }
    const token = request.headers.get("authorization")?.replace(/^Bearer /, "");
    if (!issuer.use(token)) return sfError(401, "INVALID_SESSION_ID", "Session expired or invalid", 0, "unauthorized");
    const decision = window.take();
    if (!decision.allowed) {
      used = window.requests;
      const refused = sfError(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.", 0, "quota_exhausted");
      return { ...refused, headers: usage() };
    }
    used = window.requests - decision.remaining;
    const routed = await route(
      {
        store,
        jobs,
        maxCollection: options.maxCollection ?? 200,
        minApiVersion: options.minApiVersion ?? 31,
        usage: () => ({ used, max: window.requests }),
      },
      request,
      url,
    );
    return { ...routed, headers: usage() };
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
      if (result.csv !== undefined) {
        return new Response(result.csv, {
          status: result.status,
          headers: { "content-type": "text/csv", ...result.headers },
        });
      }
      const hasBody = result.body !== undefined;
      return new Response(hasBody ? JSON.stringify(result.body) : null, {
        status: result.status,
        headers: { ...(hasBody ? { "content-type": "application/json;charset=UTF-8" } : {}), ...result.headers },
      });
    },
    records: (sobject) => store.list(sobject).map((record) => ({ ...structuredClone(record.fields), Id: record.Id })),
    jobs: jobs.jobs,
    calls: recorder.calls,
    writes: recorder.writes,
    get counters() {
      return { ...recorder.counters, tokensIssued: issuer.issued };
    },
    fail: (fault) => faults.add(fault),
    throttle: (times) =>
      faults.add({ status: 403, times, match: (request) => !request.url.includes("/services/oauth2/") }),
    lockRows(records) {
      store.lockedRows += records;
    },
    expireTokens: () => issuer.expireAll(),
    setLatency(next) {
      latency = next;
    },
    setRateLimit(limit) {
      window = slidingWindow(limit.requests, limit.windowMs);
    },
    resetAllocation() {
      window.reset();
      used = 0;
    },
    reset() {
      store.clear();
      recorder.clear();
      faults.clear();
      window.reset();
      jobs.jobs.clear();
      used = 0;
    },
  };
}
