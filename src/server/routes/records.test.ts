import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body } from "../../../test/server/support.ts";
import { callList, recordHistory, runRecordsPage } from "../changelog-schemas.ts";
import { errorSchema, triggerResponse } from "../schemas.ts";

let t: AppHarness;
afterEach(async () => t?.close());

async function failing(path: string, status: number) {
  const response = await t.request(path);
  expect(response.status).toBe(status);
  return body(response, errorSchema);
}

async function withRun() {
  t = await new AppHarness({ rows: 12 }).setup();
  t.h.destination.decide = (record) => (Number(record.key) % 4 === 0 ? "reject" : "ok");
  return body(await t.post("/v1/syncs/people/runs?wait=true"), triggerResponse);
}

describe("GET /v1/runs/{id}/records", () => {
  it("pages a run's records by cursor, filtered by outcome", async () => {
    const run = await withRun();
    const first = await body(await t.request(`/v1/runs/${run.id}/records?limit=5`), runRecordsPage);
    expect(first.records).toHaveLength(5);
    const rest = await body(
      await t.request(`/v1/runs/${run.id}/records?limit=50&cursor=${first.next}`),
      runRecordsPage,
    );
    expect(rest.next).toBeNull();
    expect([...first.records, ...rest.records].map((r) => r.key).sort((a, b) => Number(a) - Number(b))).toEqual(
      Array.from({ length: 12 }, (_, i) => String(i + 1)),
    );
    const rejected = await body(await t.request(`/v1/runs/${run.id}/records?outcome=reject`), runRecordsPage);
    expect(rejected.records.map((r) => [r.key, r.code, r.reason]).sort()).toEqual([
      ["12", "INVALID", "record 12 is invalid"],
      ["4", "INVALID", "record 4 is invalid"],
      ["8", "INVALID", "record 8 is invalid"],
    ]);
  });

  it("exports the rows as CSV", async () => {
    const run = await withRun();
    const response = await t.request(`/v1/runs/${run.id}/records?format=csv&outcome=ok`);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("run_id,sync,key,operation,outcome,code,reason,remote_id,attempts,at");
    expect(lines).toHaveLength(10);
    expect(lines[1]).toMatch(new RegExp(`^${run.id},people,\\d+,add,ok,,,remote-\\d+,1,`));
  });

  it("answers 404 for an unknown run and 400 for a bad outcome or cursor", async () => {
    const run = await withRun();
    expect((await t.request("/v1/runs/run_nope/records")).status).toBe(404);
    const bad = await failing(`/v1/runs/${run.id}/records?outcome=maybe`, 400);
    expect(bad.error.message).toBe('query.outcome: must be "ok", "retry" or "reject"');
    const cursor = await failing(`/v1/runs/${run.id}/records?cursor=eA`, 400);
    expect(cursor.error.field).toBe("query.cursor");
  });
});

describe("GET /v1/syncs/{sync}/records/{key}", () => {
  it("lists every run that touched the record, newest first, with outcome and reason", async () => {
    const first = await withRun();
    t.h.destination.decide = () => "ok";
    const second = await body(await t.post("/v1/syncs/people/runs?wait=true"), triggerResponse);
    const history = await body(await t.request("/v1/syncs/people/records/4"), recordHistory);
    expect(history.history.map((r) => [r.runId, r.outcome, r.reason])).toEqual([
      [second.id, "ok", null],
      [first.id, "reject", "record 4 is invalid"],
    ]);
    const paged = await body(await t.request("/v1/syncs/people/records/4?limit=1"), recordHistory);
    const older = await body(await t.request(`/v1/syncs/people/records/4?cursor=${paged.next}`), recordHistory);
    expect(older.history.map((r) => r.runId)).toEqual([first.id]);
  });

  it("takes a key with any characters, URL-encoded, and refuses an over-long one clearly", async () => {
    await withRun();
    const odd = 'a/b "c"\n日本 🎉';
    const none = await body(await t.request(`/v1/syncs/people/records/${encodeURIComponent(odd)}`), recordHistory);
    expect(none).toMatchObject({ key: odd, history: [], next: null });
    const long = await failing(`/v1/syncs/people/records/${"k".repeat(5000)}`, 400);
    expect(long.error.message).toBe("path.key: must be at most 4096 characters");
    expect((await t.request("/v1/syncs/nope/records/1")).status).toBe(404);
    expect((await t.request("/v1/syncs/people/records/1", { token: null })).status).toBe(401);
  });
});

describe("GET /v1/destinations/{name}/calls", () => {
  it("lists the last calls to the destination, newest first; 404 for an unknown one", async () => {
    const run = await withRun();
    const list = await body(await t.request("/v1/destinations/memory/calls"), callList);
    expect(list.calls.length).toBeGreaterThan(0);
    expect(list.calls[0]).toMatchObject({ method: "UPSERT", url: "memory:people", runId: run.id, error: null });
    const limited = await body(await t.request("/v1/destinations/memory/calls?limit=1"), callList);
    expect(limited.calls).toHaveLength(1);
    const unknown = await failing("/v1/destinations/nope/calls", 404);
    expect(unknown.error.message).toContain("known: memory");
  });
});
