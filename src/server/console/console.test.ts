import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, deferred, SECRET, TOKEN } from "../../../test/server/support.ts";
import { seedLedger } from "../../state/inspect/index.ts";
import { consoleApp } from "./app.ts";
import type { ConsoleData } from "./data.ts";
import { engineConsoleData } from "./engine-data.ts";

let t: AppHarness;
afterEach(async () => t?.close());

const HOSTILE = `<script>alert(1)</script>"><img src=x onerror=alert(2)>`;

/** A browser's cookie jar for one session, over `app.request()`. */
class Browser {
  readonly cookies = new Map<string, string>();
  csrf = "";
  private readonly fetch: (path: string, init: RequestInit) => Promise<Response>;

  constructor(t: AppHarness, app?: { request(path: string, init: RequestInit): Response | Promise<Response> }) {
    this.fetch = app
      ? async (path, init) => app.request(path, init)
      : (path, init) => t.request(path, { ...init, token: null });
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

async function signedIn(options: ConstructorParameters<typeof AppHarness>[0] = {}) {
  t = await new AppHarness(options).setup();
  const browser = new Browser(t);
  expect((await browser.signIn()).status).toBe(303);
  return browser;
}

function addFailure(key: string, reason: string): void {
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

describe("console sign-in and sessions", () => {
  it("sends a page view without a session to sign in, and refuses actions and events", async () => {
    t = await new AppHarness().setup();
    const browser = new Browser(t);
    const page = await browser.request("/ui/syncs/people?before=x");
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/ui/sign-in?next=%2Fui%2Fsyncs%2Fpeople%3Fbefore%3Dx");
    const action = await browser.post("/ui/syncs/people/runs", { _csrf: "guess" });
    expect(action.status).toBe(401);
    expect(await action.text()).toContain("Sign in first");
    expect((await browser.request("/ui/runs/run_abc/events")).status).toBe(401);
    // The bearer token of the API does not open the console: it needs the session cookie.
    expect((await t.request("/ui")).status).toBe(303);
    expect(t.h.engine.runs.last("people")).toBeUndefined();
    expect((await browser.request("/ui/assets/console.css")).status).toBe(200);
  });

  it("signs in with an API token into an HttpOnly, SameSite=Strict cookie that is not the token", async () => {
    t = await new AppHarness().setup();
    const browser = new Browser(t);
    expect((await browser.signIn("wrong-token-0123456789")).status).toBe(401);
    await browser.page("/ui/sign-in");
    const response = await browser.post("/ui/sign-in", { _csrf: browser.csrf, token: TOKEN, next: "/ui/alerts" });
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("/ui/alerts");
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("syncline_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\/ui/);
    expect(cookie).not.toMatch(/Secure/);
    expect(cookie).not.toContain(TOKEN);
    expect(await browser.page("/ui")).toContain("<h1>Syncs</h1>");
  });

  it("marks the cookie Secure behind HTTPS, and never follows a next= to another site", async () => {
    t = await new AppHarness().setup();
    const browser = new Browser(t);
    await browser.page("/ui/sign-in");
    const response = await browser.post(
      "/ui/sign-in",
      { _csrf: browser.csrf, token: TOKEN, next: "//evil.example/ui" },
      { "x-forwarded-proto": "https" },
    );
    expect(response.headers.get("location")).toBe("/ui");
    expect(response.headers.getSetCookie().find((line) => line.startsWith("syncline_session="))).toMatch(/Secure/);
  });

  it("refuses a sign-in without the form's token (login CSRF)", async () => {
    t = await new AppHarness().setup();
    const browser = new Browser(t);
    await browser.page("/ui/sign-in");
    const response = await browser.post("/ui/sign-in", { _csrf: "forged", token: TOKEN });
    expect(response.status).toBe(403);
    expect(browser.cookies.has("syncline_session")).toBe(false);
  });

  it("ends a session after the idle time, and at sign-out on the server too", async () => {
    let now = Date.now();
    const browser = await signedIn({ now: () => now, console: { enabled: true, sessionMinutes: 5 } });
    now += 4 * 60_000;
    expect((await browser.request("/ui")).status).toBe(200);
    now += 6 * 60_000;
    expect((await browser.request("/ui")).status).toBe(303);

    const again = new Browser(t);
    expect((await again.signIn()).status).toBe(303);
    const session = again.cookies.get("syncline_session")!;
    expect((await again.post("/ui/sign-out", { _csrf: again.csrf })).status).toBe(303);
    expect(again.cookies.has("syncline_session")).toBe(false);
    again.cookies.set("syncline_session", session);
    expect((await again.request("/ui")).status).toBe(303);
  });
});

describe("console actions", () => {
  it("needs the session's CSRF token on every action, and a same-origin request", async () => {
    const browser = await signedIn();
    expect((await browser.post("/ui/syncs/people/runs", {})).status).toBe(403);
    expect((await browser.post("/ui/syncs/people/runs", { _csrf: "x".repeat(43) })).status).toBe(403);
    const crossSite = await browser.post(
      "/ui/syncs/people/runs",
      { _csrf: browser.csrf },
      { "sec-fetch-site": "cross-site", origin: "https://evil.example" },
    );
    expect(crossSite.status).toBe(403);
    expect(t.h.engine.runs.last("people")).toBeUndefined();
    const ok = await browser.post("/ui/syncs/people/runs", { _csrf: browser.csrf });
    expect(ok.status).toBe(303);
    const run = t.h.engine.runs.last("people")!;
    expect(ok.headers.get("location")).toBe(`/ui/runs/${run.id}`);
    expect(run.trigger).toBe("console");
    const done = await t.h.engine.wait(run.id);
    expect(done.counts?.succeeded.added).toBe(10);
    expect(await browser.page(`/ui/runs/${run.id}`)).toContain('data-count="succeeded.added">10<');
  });

  it("asks to confirm a full resync before starting it", async () => {
    const browser = await signedIn();
    const ask = await browser.post("/ui/syncs/people/runs", { _csrf: browser.csrf, fullResync: "true" });
    expect(ask.status).toBe(200);
    expect(await ask.text()).toContain("Yes, run with full resync");
    expect(t.h.engine.runs.last("people")).toBeUndefined();
    const go = await browser.post("/ui/syncs/people/runs", { _csrf: browser.csrf, fullResync: "true", confirm: "yes" });
    expect(go.status).toBe(303);
    expect(t.h.engine.runs.last("people")?.options.fullResync).toBe(true);
  });

  it("streams a run's progress and its end as server-sent events, and cancels it", async () => {
    const browser = await signedIn({ maxRecords: 2 });
    const gate = deferred();
    t.h.destination.afterCall = (call) => (call >= 2 ? gate.promise : undefined);
    await browser.post("/ui/syncs/people/runs", { _csrf: browser.csrf });
    const run = t.h.engine.runs.last("people")!;
    const events = await browser.request(`/ui/runs/${run.id}/events`);
    expect(events.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = events.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes('event: progress\ndata: {"phase":"sending"')) text += (await reader.read()).value ?? "";
    const cancel = await browser.post(`/ui/runs/${run.id}/cancel`, { _csrf: browser.csrf });
    expect(cancel.status).toBe(303);
    gate.resolve();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) text += chunk.value;
    expect(text).toMatch(/event: finished\ndata: \{"status":"cancelled"/);
    const progress = JSON.parse(/event: progress\ndata: (\{"phase":"sending".*)\n/.exec(text)![1]!) as {
      counts: { planned: object };
    };
    expect(progress.counts.planned).toEqual({ added: 10, changed: 0, removed: 0 });
    expect(await browser.page(`/ui/runs/${run.id}`)).toContain("status-cancelled");
  });

  it("runs a plan preview that sends and commits nothing", async () => {
    const browser = await signedIn();
    const response = await browser.post("/ui/syncs/people/preview", { _csrf: browser.csrf });
    const page = await response.text();
    expect(page).toContain("10 records would be sent");
    expect(page).toContain('data-count="planned.added">10<');
    expect(page).toContain("p1@example.com");
    expect(t.h.destination.writes).toHaveLength(0);
    expect(t.h.engine.runs.last("people")).toBeUndefined();
  });

  it("shows the mapping's problems and the records a run would reject unsent", async () => {
    const browser = await signedIn({
      discover: async () => [
        {
          name: "people",
          fields: [
            { name: "email", type: "integer" },
            { name: "name", type: "string" },
            { name: "version", type: "integer" },
            { name: "owner", type: "string", required: true },
          ],
        },
      ],
    });
    const response = await browser.post("/ui/syncs/people/preview", { _csrf: browser.csrf });
    const page = await response.text();
    expect(page).toContain("The mapping does not fit the destination");
    expect(page).toContain("people in memory requires &quot;owner&quot;, which is not mapped");
    expect(page).toContain("column &quot;email&quot; (VARCHAR) is converted to integer");
    expect(page).toContain("Rejected before sending: 10");
    expect(page).toContain("field &quot;email&quot; takes an integer; got the string &quot;p1@example.com&quot;");
    expect(t.h.destination.calls).toBe(0);
  });
});

describe("console pages", () => {
  it("escapes untrusted keys, codes and reasons on every page", async () => {
    const browser = await signedIn();
    addFailure(HOSTILE, `refused: ${HOSTILE}`);
    const pages = [
      await browser.page("/ui/syncs/people"),
      await browser.page(`/ui/syncs/people/records?key=${encodeURIComponent(HOSTILE)}`),
      await browser.page("/ui/syncs/people?q=%3Cscript%3E"),
    ];
    for (const page of pages) {
      expect(page).not.toContain("<script>alert");
      expect(page).not.toContain("<img src=x");
      expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    }
    expect(pages[1]).toContain("Not accepted by the destination");
    expect(pages[2]).toContain("1 of 1 match");
    const csv = await (await browser.request("/ui/syncs/people/failures.csv")).text();
    expect(csv.split("\r\n")[1]).toContain("<script>alert(1)</script>");
  });

  it("pages the run history and the failures", async () => {
    const browser = await signedIn();
    for (let i = 0; i < 21; i++) await t.h.engine.runNow("people");
    for (let i = 0; i < 55; i++) addFailure(`k${String(i).padStart(2, "0")}`, "refused");
    const first = await browser.page("/ui/syncs/people");
    const runRows = (html: string) =>
      html.split('<table class="runs">')[1]!.split("</table>")[0]!.match(/<tr>/g)!.length - 1;
    expect(runRows(first)).toBe(20);
    const next = /href="([^"]*before=[^"#]+)#runs-h" rel="next"/.exec(first)![1]!.replaceAll("&amp;", "&");
    const second = await browser.page(next);
    expect(runRows(second)).toBe(1);
    expect(second).toContain("First page");
    const failuresNext = /href="([^"]*after=[^"#]+)#failures" rel="next"/.exec(first)![1]!.replaceAll("&amp;", "&");
    const rest = await browser.page(failuresNext);
    expect(rest.split('<table class="failures">')[1]!.match(/<tr>/g)!.length - 1).toBe(5);
    expect(rest).toContain("k54");
    expect(rest).not.toContain(">k00<");
  });

  it("shows the sync's configuration without secret values", async () => {
    const browser = await signedIn();
    const page = await browser.page("/ui/syncs/people");
    expect(page).toContain("apiKey");
    expect(page).toContain("[redacted]");
    expect(page).not.toContain(SECRET);
    expect(page).not.toContain(TOKEN);
  });

  it("answers an unknown sync or run with a 404 page, and a malformed id with 400", async () => {
    const browser = await signedIn();
    const unknown = await browser.request("/ui/syncs/nope");
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("unknown sync &quot;nope&quot;");
    expect((await browser.request("/ui/runs/run_zzzz")).status).toBe(404);
    expect((await browser.request("/ui/runs/DROP")).status).toBe(400);
    expect((await browser.request("/ui/nothing-here")).status).toBe(404);
  });

  it("keeps the client script small and loads nothing from other sites", async () => {
    const browser = await signedIn();
    const html = [
      await browser.page("/ui"),
      await browser.page("/ui/syncs/people"),
      await browser.page("/ui/alerts"),
      await browser.page("/ui/destinations"),
    ].join("\n");
    const scripts = new Set([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((match) => match[1]!));
    expect([...scripts]).toEqual(["/ui/assets/console.js"]);
    expect(html).not.toMatch(/<script>/);
    let bytes = 0;
    for (const src of scripts) bytes += (await (await browser.request(src)).arrayBuffer()).byteLength;
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThanOrEqual(100 * 1024);
    const css = await (await browser.request("/ui/assets/console.css")).text();
    for (const text of [html, css]) expect(text).not.toMatch(/(src|href)="?https?:|url\(|@import/);
  });

  it("is off when the config says so", async () => {
    t = await new AppHarness({ console: { enabled: false, sessionMinutes: 60 } }).setup();
    expect((await t.request("/ui", { token: null })).status).toBe(404);
    expect((await t.request("/", { token: null })).headers.get("location")).toBe("/docs");
  });
});

describe("the console's data seam", () => {
  it("renders the changelog, alerts and destination calls once a data source provides them, escaped", async () => {
    t = await new AppHarness().setup();
    const base = engineConsoleData(t.deps);
    const entry = {
      runId: "run_abc",
      sync: "people",
      key: HOSTILE,
      operation: "add" as const,
      outcome: "reject" as const,
      code: "INVALID_EMAIL",
      reason: `bad email ${HOSTILE}`,
      remoteId: "hs-42",
      attempts: 3,
      at: "2026-12-01T02:00:00.000Z",
    };
    const data: ConsoleData = {
      ...base,
      record: (sync, key) => ({ ...base.record(sync, key), history: { available: true, rows: [entry] } }),
      runRecords: () => ({ available: true, rows: [entry] }),
      alerts: () => ({
        available: true,
        rows: [
          {
            name: "run-failed",
            sync: "people",
            condition: "run failed",
            channels: ["slack"],
            state: "firing",
            since: entry.at,
            lastNotifiedAt: entry.at,
          },
        ],
      }),
      destinationCalls: () => ({
        available: true,
        rows: [
          {
            at: entry.at,
            method: "POST",
            url: `https://api.example.com/batch?q=${HOSTILE}`,
            status: 207,
            ms: 120,
            requestBytes: 2048,
            responseBytes: 512,
            runId: "run_abc",
            batch: 4,
          },
        ],
      }),
    };
    const browser = new Browser(t, consoleApp(t.deps, { data }));
    expect((await browser.signIn()).status).toBe(303);
    const record = await browser.page("/ui/syncs/people/records?key=1");
    for (const column of [
      "Time",
      "Run",
      "Sync",
      "Key",
      "Operation",
      "Outcome",
      "Code / reason",
      "Remote id",
      "Attempts",
    ]) {
      expect(record).toContain(`<th scope="col">${column}</th>`);
    }
    expect(record).toContain("hs-42");
    const run = await browser.page(`/ui/runs/${(await t.h.engine.runNow("people")).id}`);
    expect(run).toContain("bad email &lt;script&gt;");
    const alerts = await browser.page("/ui/alerts");
    expect(alerts).toContain("status-firing");
    const calls = await browser.page("/ui/destinations/memory");
    expect(calls).toContain("2,048 B");
    for (const page of [record, run, alerts, calls]) expect(page).not.toContain("<script>alert");
    expect(calls).toContain("q=&lt;script&gt;");
  });
});
