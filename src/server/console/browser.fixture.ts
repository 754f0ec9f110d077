/**
 * The console suites' browser and harness: one AppHarness per test (closed after it), a cookie
 * jar over `app.request()`, and ledger failures to page through.
 */
import { afterEach, expect } from "vitest";
import { AppHarness, TOKEN } from "../../../test/server/support.ts";
import { seedLedger } from "../../state/inspect/index.ts";

/** Text every page must escape. */
export const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

/** The current test's harness (a live binding: `harness()` replaces it). */
export let t: AppHarness;

/** Closes each test's harness after it; call once at a suite's top level. */
export function closeHarnessAfterEach(): void {
  afterEach(async () => t?.close());
}

/** A new harness for the current test. */
export async function harness(options: ConstructorParameters<typeof AppHarness>[0] = {}): Promise<AppHarness> {
  t = await new AppHarness(options).setup();
  return t;
}

/** A browser's cookie jar for one session, over `app.request()`. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = "";
  private readonly fetch: (path: string, init: RequestInit) => Promise<Response>;

  constructor(target: AppHarness, app?: { request(path: string, init: RequestInit): Response | Promise<Response> }) {
    this.fetch = app
      ? async (path, init) => app.request(path, init)
      : (path, init) => target.request(path, { ...init, token: null });
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set("cookie", [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; "));
    if (!headers.has("sec-fetch-site")) headers.set("sec-fetch-site", "same-origin");
    const response = await this.fetch(path, { ...init, headers });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, value] = pair!.split("=") as [string, string];
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  async page(path: string): Promise<string> {
    const response = await this.request(path);
    const text = await response.text();
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(text)?.[1] ?? this.csrf;
    return text;
  }

  post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { method: "POST", body: new URLSearchParams(fields), headers });
  }

  async signIn(token = TOKEN): Promise<Response> {
    await this.page("/ui/sign-in");
    const response = await this.post("/ui/sign-in", { _csrf: this.csrf, token, next: "/ui" });
    if (response.status === 303) await this.page("/ui");
    return response;
  }
}

/** A new harness and a browser signed in to its console. */
export async function signedIn(options: ConstructorParameters<typeof AppHarness>[0] = {}): Promise<Browser> {
  const browser = new Browser(await harness(options));
  expect((await browser.signIn()).status).toBe(303);
  return browser;
}

/** One permanent failure in the ledger of the harness's `people` sync. */
export function addFailure(key: string, reason: string): void {
  seedLedger(t.h.state.sqlite, [
    {
      sync: "people",
      key,
      operation: "upsert",
      change: "added",
      attempts: 2,
      error_class: "permanent",
      error_code: "E<b>",
      reason,
      first_failed_at: 1,
      last_failed_at: 2,
      last_run_id: "run_abc",
    },
  ]);
}
