import { describe, expect, it } from "vitest";
import { SECRET, TOKEN } from "../../../test/server/support.ts";
import { consoleApp } from "./app.ts";
import { addFailure, Browser, closeHarnessAfterEach, HOSTILE, harness, signedIn, t } from "./browser.fixture.ts";
import type { ConsoleData } from "./data.ts";
import { engineConsoleData } from "./engine-data.ts";

closeHarnessAfterEach();

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
    await harness({ console: { enabled: false, sessionMinutes: 60 } });
    expect((await t.request("/ui", { token: null })).status).toBe(404);
    expect((await t.request("/", { token: null })).headers.get("location")).toBe("/docs");
  });
});

describe("the console's data seam", () => {
  it("renders the changelog, alerts and destination calls once a data source provides them, escaped", async () => {
    await harness();
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
