import { describe, expect, it } from "vitest";
import { deferred, TOKEN } from "../../../test/server/support.ts";
import { Browser, closeHarnessAfterEach, harness, signedIn, t } from "./browser.fixture.ts";

// Sign-in, sessions and actions; the pages and the data seam: console-pages.test.ts.
closeHarnessAfterEach();

describe("console sign-in and sessions", () => {
  it("sends a page view without a session to sign in, and refuses actions and events", async () => {
    await harness();
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
    await harness();
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
    await harness();
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
    await harness();
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
