import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Receiver, ServiceProcess } from "../server/process.ts";
import { DuckDBFileBackend } from "../support/backends.ts";
import { accessibilityViolations, launchChromium, SCREENSHOTS, screenshot } from "./browser.ts";

/**
 * The console in Debian's Chromium against a real `syncline serve` process: the quick start's
 * `contacts` sync (DuckDB → file, mirror mode) and a `people` sync to a webhook receiver in this
 * process that refuses some records with a reason carrying markup.
 */
const TOKEN = "console-e2e-token-0123456789";
const ROOT = join(import.meta.dirname, "..", "..");
const HOSTILE = `<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">`;

let dir: string;
let receiver: Receiver;
let service: ServiceProcess;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const dialogs: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "syncline-console-"));
  copyFileSync(join(ROOT, "examples", "quickstart", "seed.sql"), join(dir, "seed.sql"));
  writeFileSync(
    join(dir, "people.sql"),
    "CREATE TABLE people AS SELECT i AS id, 'p' || i || '@example.com' AS email FROM range(1, 301) t(i);\n",
  );
  receiver = await new Receiver().start();
  receiver.decide = (key) => (Number(key) % 50 === 7 ? "error" : "ok");
  receiver.reason = (key) => `contact ${key} refused: ${HOSTILE}`;
  writeFileSync(
    join(dir, "syncline.yaml"),
    `state: ./state.db
sources:
  warehouse: { type: duckdb, path: ./warehouse.duckdb, seed: ./seed.sql }
  people: { type: duckdb, path: ./people.duckdb, seed: ./people.sql }
destinations:
  crm: { type: file, path: ./out }
  hook: { type: webhook, url: ${receiver.url}, maxRecords: 10, concurrency: 1, headers: { authorization: "Bearer hook-secret-0123456789" } }
syncs:
  contacts:
    source: warehouse
    model: { sql: "SELECT id, email, first_name, last_name, plan FROM customers WHERE NOT churned" }
    primaryKey: id
    destination: crm
    object: contacts
    mode: mirror
    mapping: { email: email, firstname: first_name, lastname: last_name, plan: plan }
  people:
    source: people
    model: { sql: "SELECT id, email FROM people" }
    primaryKey: id
    destination: hook
    object: people
    mapping: { email: email }
    schedule: "0 3 * * *"
server:
  host: 127.0.0.1
  tokens: ["${TOKEN}"]
`,
  );
  service = await new ServiceProcess(join(dir, "syncline.yaml"), TOKEN).start();
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.accept();
  });
});

afterAll(async () => {
  await browser?.close();
  expect(await service?.stop()).toBe(0);
  await receiver?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every page the test visits: no serious accessibility violation, a screenshot, no script injected. */
async function check(name: string): Promise<void> {
  expect(await accessibilityViolations(page), `axe on ${name}`).toEqual([]);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  await screenshot(page, name);
}

async function warehouse(file: string, sql: string): Promise<void> {
  const duckdb = new DuckDBFileBackend();
  duckdb.path = join(dir, file);
  await duckdb.sql(sql);
}

const url = (path: string) => `${service.base}${path}`;
/** Waits for what the page shows; generous, because CI shares two cores with other suites. */
const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 30_000, interval: 100 });

describe("the console in a real browser", () => {
  it("refuses a request without a session and sends a page view to sign in", async () => {
    const page = await fetch(url("/ui/syncs/contacts"), { redirect: "manual" });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/ui/sign-in?next=%2Fui%2Fsyncs%2Fcontacts");
    const action = await fetch(url("/ui/syncs/contacts/runs"), { method: "POST", body: new URLSearchParams() });
    expect([401, 403]).toContain(action.status);
    const events = await fetch(url("/ui/runs/run_abc/events"));
    expect(events.status).toBe(401);
  });

  it("signs in with an API token and lists the quick start sync", async () => {
    await page.goto(url("/ui/syncs/contacts"));
    await poll(() => page.url()).toContain("/ui/sign-in");
    await check("sign-in");
    await page.getByLabel("API token").fill("not-the-token-at-all");
    await page.getByRole("button", { name: "Sign in" }).click();
    await poll(() => page.getByRole("alert").textContent()).toContain("not valid");
    await page.getByLabel("API token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/ui\/syncs\/contacts$/);
    const cookies = await context.cookies();
    const session = cookies.find((cookie) => cookie.name === "syncline_session");
    expect(session).toMatchObject({ httpOnly: true, sameSite: "Strict", path: "/ui" });
    expect(session?.value).not.toContain(TOKEN);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Syncs" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Syncs");
    const rows = page.locator("table.syncs tbody tr");
    expect(await rows.count()).toBe(2);
    expect(await page.locator('tr[data-sync="contacts"]').textContent()).toContain("never run");
    expect(await page.locator('tr[data-sync="people"]').textContent()).toContain("0 3 * * *");
    await check("overview-empty");
  });

  it("runs a plan preview: counts and sample records, nothing sent", async () => {
    await page.goto(url("/ui/syncs/contacts/preview"));
    await page.getByRole("button", { name: "Run preview" }).click();
    await page.locator("[data-preview]").waitFor();
    expect(await page.locator("#result-h").textContent()).toBe("910 records would be sent");
    expect(await page.locator('[data-count="planned.added"]').textContent()).toBe("910");
    const sample = page.locator('table[data-sample="added"]');
    expect(await sample.locator("thead").textContent()).toContain("email");
    expect(await sample.locator("tbody tr").count()).toBe(10);
    expect(await sample.locator("tbody").textContent()).toMatch(/@/);
    await check("preview");
    expect((await fetch(url("/v1/syncs/contacts/runs"), { headers: auth() }).then((r) => r.json())).runs).toEqual([]);
  });

  it("triggers a run and watches it finish", async () => {
    receiver.delayMs = 100;
    await page.goto(url("/ui/syncs/people"));
    await page.getByRole("button", { name: "Run now" }).click();
    await page.waitForURL(/\/ui\/runs\/run_/);
    const progress = page.locator("[data-run-progress]");
    await poll(() => progress.textContent()).toMatch(/Sending: \d+ of 300/);
    await poll(() => page.locator("[data-run-status]").textContent()).toContain("partial");
    await page.locator("#failed-h").waitFor();
    expect(await page.locator('[data-count="succeeded.added"]').textContent()).toBe("294");
    expect(await page.locator('[data-count="failed.added"]').textContent()).toBe("6");
    expect(await page.locator("table.failures tbody tr").count()).toBe(6);
    await check("run-partial");
  });

  it("opens the failures: untrusted reasons shown as text, filtered, downloaded as CSV", async () => {
    await page.locator(".crumbs").getByRole("link", { name: "people" }).click();
    await page.waitForURL(/\/ui\/syncs\/people$/);
    expect(await page.locator("#failures-h .count").textContent()).toBe("6");
    const reason = page.locator("table.failures td.reason").first();
    expect(await reason.textContent()).toContain("<script>window.__xss = 1</script>");
    await page.getByLabel("Key, code or reason contains").fill("contact 107 ");
    await page.getByRole("button", { name: "Filter" }).click();
    await poll(() => page.getByRole("status").first().textContent()).toContain("1 of 6 match");
    expect(await page.locator("table.failures tbody tr").count()).toBe(1);
    await check("sync-failures");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: "Download CSV" }).click(),
    ]);
    const csv = await streamText(await download.createReadStream());
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^key,operation,change,attempts/);
    expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["107", "157", "207", "257", "57", "7"]);
  });

  it("looks up a record: why it failed, and one that was delivered", async () => {
    await page.locator("table.failures tbody a").first().click();
    await page.waitForURL(/records\?key=107/);
    expect(await page.locator("[data-record-verdict]").textContent()).toContain("Not accepted by the destination");
    expect(await page.locator("p.reason").textContent()).toContain("contact 107 refused: <script>");
    expect(await page.locator("table.changelog tbody").textContent()).toContain("reject");
    await check("record-failed");
    await page.getByLabel("Primary key").fill("108");
    await page.getByRole("button", { name: "Look up" }).click();
    await poll(() => page.locator("[data-record-verdict]").textContent()).toContain("Delivered");
  });

  it("asks for confirmation of a full resync, then cancels the run", async () => {
    receiver.delayMs = 400;
    await page.goto(url("/ui/syncs/people"));
    await page.getByLabel("Full resync: send every record again").check();
    await page.getByRole("button", { name: "Run now" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Run people with full resync?");
    await check("confirm-full-resync");
    await page.getByRole("button", { name: "Yes, run with full resync" }).click();
    await page.waitForURL(/\/ui\/runs\/run_/);
    await poll(() => page.locator("[data-run-progress]").textContent()).toMatch(/Sending/);
    await check("run-live");
    await page.getByRole("button", { name: "Cancel run" }).click();
    expect(dialogs.at(-1)).toMatch(/^Cancel run run_/);
    await poll(() => page.locator("[data-run-status]").textContent()).toContain("cancelled");
    const sent = Number(await page.locator('[data-count="succeeded.changed"]').textContent());
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThan(300);
    receiver.delayMs = 0;
  });

  it("explains the delete guard's refusal and runs again with confirmed forced deletes", async () => {
    await page.goto(url("/ui/syncs/contacts"));
    await page.getByRole("button", { name: "Run now" }).click();
    await poll(() => page.locator("[data-run-status]").textContent()).toContain("succeeded");
    await warehouse("warehouse.duckdb", "UPDATE customers SET churned = true WHERE id <= 400");
    await page.goto(url("/ui/syncs/contacts"));
    await page.getByRole("button", { name: "Run now" }).click();
    await poll(() => page.locator("[data-run-status]").textContent()).toContain("failed");
    expect(await page.locator("#error-h").textContent()).toBe("The delete guard stopped this run");
    await check("run-delete-guard");
    await page.getByRole("button", { name: "Run again with forced deletes…" }).click();
    await poll(() => page.locator("main p").first().textContent()).toContain("delete guard will not stop it");
    await page.getByRole("button", { name: "Yes, run with forced deletes" }).click();
    await poll(() => page.locator("[data-run-status]").textContent()).toContain("succeeded");
    expect(Number(await page.locator('[data-count="succeeded.removed"]').textContent())).toBeGreaterThan(300);
  });

  it("shows alerts and destinations, and the overview with its recent runs", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Alerts");
    await check("alerts");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Destinations" }).click();
    expect(await page.locator("main table tbody").textContent()).toContain("webhook");
    await check("destinations");
    await page.getByRole("link", { name: "hook" }).click();
    await poll(() => page.locator("h1").textContent()).toBe("Calls to hook");
    expect(await page.content()).not.toContain("hook-secret-0123456789");
    await check("destination-calls");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Syncs" }).click();
    const chart = page.locator('tr[data-sync="people"] svg.chart');
    expect(await chart.getAttribute("aria-label")).toMatch(/last 2 runs, .* 2 with failures/);
    await check("overview");
    // The README's picture (docs/console.png is this file, compressed).
    await page.setViewportSize({ width: 1100, height: 760 });
    await page.goto(url("/ui/syncs/contacts"));
    await page.screenshot({ path: join(SCREENSHOTS, "readme.png") });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("is usable at 375 px wide", async () => {
    await page.setViewportSize({ width: 375, height: 800 });
    for (const path of ["/ui", "/ui/syncs/people", "/ui/syncs/people/records?key=7"]) {
      await page.goto(url(path));
      expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(375);
    }
    await page.getByLabel("Primary key").focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("57");
    await page.keyboard.press("Enter");
    await poll(() => page.locator("h1").textContent()).toBe("Record 57");
    await check("record-narrow");
    await page.goto(url("/ui/syncs/people"));
    await check("sync-narrow");
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("signs out: the session cookie no longer opens a page", async () => {
    const cookie = (await context.cookies()).find((c) => c.name === "syncline_session")!;
    await page.goto(url("/ui"));
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/ui\/sign-in/);
    await page.goto(url("/ui"));
    await poll(() => page.url()).toContain("/ui/sign-in");
    const replayed = await fetch(url("/ui"), {
      headers: { cookie: `syncline_session=${cookie.value}` },
      redirect: "manual",
    });
    expect(replayed.status).toBe(303);
  });
});

function auth(): Record<string, string> {
  return { authorization: `Bearer ${TOKEN}` };
}

async function streamText(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}
