import * as v from "valibot";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sign } from "../../src/server/auth.ts";
import { errorSchema, failurePage, runPage, type runSchema, triggerResponse } from "../../src/server/schemas.ts";
import { Receiver, ServiceProcess, serviceDir } from "./process.ts";

/**
 * The real `syncline serve` process on a loopback port, syncing a DuckDB warehouse to a
 * webhook receiver in this test process.
 */
const TOKEN = "e2e-token-0123456789abcdef";
const HMAC = "e2e-hmac-secret-0123456789";
const ROWS = 400;

let receiver: Receiver;
let service: ServiceProcess;
let dir: ReturnType<typeof serviceDir>;

beforeAll(async () => {
  receiver = await new Receiver().start();
  dir = serviceDir({
    receiverUrl: receiver.url,
    rows: ROWS,
    token: TOKEN,
    hmacSecret: HMAC,
    maxRecords: 20,
    concurrency: 1,
  });
  service = await new ServiceProcess(dir.configPath, TOKEN).start();
  console.log(
    `e2e: spawn → ready log ${service.readyLogMs.toFixed(0)} ms, → /readyz 200 ${service.readyzMs.toFixed(0)} ms`,
  );
});

afterAll(async () => {
  expect(await service?.stop()).toBe(0);
  await receiver?.close();
  dir?.remove();
});

beforeEach(() => {
  receiver.delayMs = 0;
  receiver.decide = () => "ok";
});

type Run = v.InferOutput<typeof runSchema>;
const trigger = async (query = "", init: RequestInit = {}) =>
  v.parse(
    triggerResponse,
    await (await service.fetch(`/v1/syncs/people/runs${query}`, { method: "POST", ...init })).json(),
  );

describe("syncline serve, end to end", () => {
  it("refuses calls without a valid token, and accepts a signed webhook trigger", async () => {
    const none = await service.fetch("/v1/syncs", { token: null });
    expect(none.status).toBe(401);
    expect(v.parse(errorSchema, await none.json()).error.code).toBe("unauthorized");
    const wrong = await service.fetch("/v1/syncs/people/runs", { method: "POST", token: "nope-nope-nope-nope" });
    expect(wrong.status).toBe(401);
    const payload = JSON.stringify({ event: "job.completed" });
    const stale = await service.fetch("/v1/syncs/people/runs", {
      method: "POST",
      body: payload,
      token: null,
      headers: {
        "x-syncline-signature": sign(
          HMAC,
          { method: "POST", target: "/v1/syncs/people/runs", body: payload },
          Date.now() - 3_600_000,
        ),
      },
    });
    expect(stale.status).toBe(401);
    const signed = await service.fetch("/v1/syncs/people/runs?wait=true", {
      method: "POST",
      body: payload,
      token: null,
      headers: {
        "x-syncline-signature": sign(HMAC, {
          method: "POST",
          target: "/v1/syncs/people/runs?wait=true",
          body: payload,
        }),
      },
    });
    expect(signed.status).toBe(200);
    const run = v.parse(triggerResponse, await signed.json());
    expect(run).toMatchObject({ trigger: "webhook", status: "succeeded" });
    expect(run.counts?.succeeded.added).toBe(ROWS);
    expect(receiver.accepted.size).toBe(ROWS);
  });

  it("waits for the outcome in one call, and returns the same run for a retried Idempotency-Key", async () => {
    const headers = { "idempotency-key": "airflow-dag-run-2031-01-01" };
    const [a, b] = await Promise.all([
      trigger("?wait=true&fullResync=true", { headers }),
      trigger("?wait=true&fullResync=true", { headers }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a.status).toBe("succeeded");
    expect(a.counts?.succeeded.changed).toBe(ROWS);
    const retried = await trigger("?fullResync=true", { headers });
    expect(retried).toMatchObject({ id: a.id, replayed: true, status: "succeeded" });
  });

  it("coalesces concurrent triggers: one run, one queued, never two at once", async () => {
    receiver.delayMs = 40;
    const first = await trigger("?fullResync=true");
    const rest = await Promise.all(Array.from({ length: 8 }, () => trigger()));
    const ids = new Set([first.id, ...rest.map((run) => run.id)]);
    expect(ids.size).toBe(2);
    expect(rest.filter((run) => run.coalesced).length).toBe(7);
    const queuedId = rest[0]!.id;
    const queued = await service.runUntil<Run>(queuedId, (run) => run.status === "succeeded");
    const done = await service.json<Run>(`/v1/runs/${first.id}`);
    expect(done.status).toBe("succeeded");
    expect(Date.parse(queued.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.finishedAt!));
    expect(queued.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
  });

  it("cancels a run at a batch boundary, keeping what was delivered", async () => {
    receiver.delayMs = 60;
    const run = await trigger("?fullResync=true");
    await service.runUntil<Run>(run.id, (r) => (r.counts?.succeeded.changed ?? 0) >= 40);
    const cancel = await service.fetch(`/v1/runs/${run.id}/cancel`, { method: "POST" });
    expect([200, 202]).toContain(cancel.status);
    const cancelled = await service.runUntil<Run>(run.id, (r) => r.status === "cancelled");
    expect(cancelled.counts!.succeeded.changed).toBeGreaterThanOrEqual(40);
    expect(cancelled.counts!.succeeded.changed).toBeLessThan(ROWS);
    expect((await service.fetch(`/v1/runs/${run.id}/cancel`, { method: "POST" })).status).toBe(409);
  });

  it("reports failures as JSON and CSV, and counts them in /metrics", async () => {
    const before = await metrics();
    receiver.decide = (key) => (Number(key) % 50 === 0 ? "error" : "ok");
    const run = await trigger("?fullResync=true&wait=60");
    expect(run.status).toBe("partial");
    expect(run.counts?.failed.changed).toBe(ROWS / 50);

    const page = v.parse(failurePage, await service.json(`/v1/syncs/people/failures?limit=5`));
    expect(page.total).toBe(ROWS / 50);
    expect(page.failures).toHaveLength(5);
    expect(page.failures[0]).toMatchObject({ key: "100", reason: "key 100 refused", errorClass: "permanent" });
    const rest = v.parse(failurePage, await service.json(`/v1/syncs/people/failures?limit=5&cursor=${page.next}`));
    expect(rest.failures).toHaveLength(3);
    expect(rest.next).toBeNull();

    const csv = await service.fetch("/v1/syncs/people/failures", { headers: { accept: "text/csv" } });
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines).toHaveLength(1 + ROWS / 50);
    expect(lines[1]).toContain("key 100 refused");

    const after = await metrics();
    const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
    expect(delta('syncline_runs_total{sync="people",status="partial"}')).toBe(1);
    expect(delta('syncline_records_total{sync="people",change="changed",outcome="failed"}')).toBe(ROWS / 50);
    expect(delta('syncline_records_total{sync="people",change="changed",outcome="succeeded"}')).toBe(ROWS - ROWS / 50);
    expect(delta('syncline_rows_read_total{sync="people"}')).toBe(ROWS);
    expect(delta('syncline_batch_duration_seconds_count{sync="people",destination="hook"}')).toBe(ROWS / 20);
    expect(after.get('syncline_ledger_records{sync="people"}')).toBe(ROWS / 50);

    receiver.decide = () => "ok";
    const clean = await trigger("?wait=60");
    expect(clean.status).toBe("succeeded");
    expect(clean.counts?.planned.changed).toBe(ROWS / 50);
    expect(v.parse(failurePage, await service.json("/v1/syncs/people/failures")).total).toBe(0);
  });

  it("lists the run history with a cursor", async () => {
    const first = v.parse(runPage, await service.json("/v1/syncs/people/runs?limit=3"));
    expect(first.runs).toHaveLength(3);
    const second = v.parse(runPage, await service.json(`/v1/syncs/people/runs?limit=3&cursor=${first.next}`));
    expect(second.runs[0]!.id < first.runs[2]!.id).toBe(true);
  });
});

async function metrics(): Promise<Map<string, number>> {
  const text = await (await service.fetch("/metrics", { token: null })).text();
  const values = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    values.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return values;
}
