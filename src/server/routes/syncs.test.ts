import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body, SECRET } from "../../../test/server/support.ts";
import { errorSchema, runPage, syncDetail, syncList } from "../schemas.ts";

let t: AppHarness;
afterEach(async () => t?.close());

describe("GET /v1/syncs and /v1/syncs/{sync}", () => {
  it("lists syncs with their last run, ledger size and next scheduled run", async () => {
    const next = new Date("2031-01-01T00:15:00.000Z");
    t = await new AppHarness({ schedule: "*/15 * * * *", scheduler: { nextRun: () => next } }).setup();
    t.h.destination.decide = (record) => (record.key === "3" ? "reject" : "ok");
    await t.post("/v1/syncs/people/runs?wait=true");
    const list = await body(await t.request("/v1/syncs"), syncList);
    expect(list.syncs).toHaveLength(1);
    expect(list.syncs[0]).toMatchObject({
      name: "people",
      source: { name: "warehouse", type: "duckdb" },
      destination: { name: "memory", type: "memory" },
      object: "people",
      mode: "upsert",
      schedule: "*/15 * * * *",
      nextRunAt: "2031-01-01T00:15:00.000Z",
      ledgerSize: 1,
    });
    expect(list.syncs[0]!.lastRun?.status).toBe("partial");
  });

  it("shows one sync's config without secrets", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs/people");
    const text = await response.clone().text();
    expect(text).not.toContain(SECRET);
    const sync = await body(response, syncDetail);
    expect(sync.config).toMatchObject({ object: "people", options: { apiKey: "[redacted]" } });
    expect(sync.lastRun).toBeNull();
    expect(sync.nextRunAt).toBeNull();
    expect(sync.ledgerSize).toBe(0);
  });

  it("answers 404 for an unknown sync", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/v1/syncs/other");
    expect(response.status).toBe(404);
    expect((await body(response, errorSchema)).error.message).toContain('unknown sync "other"');
  });
});

describe("GET /v1/syncs/{sync}/runs", () => {
  it("pages through the history newest first with a next cursor", async () => {
    t = await new AppHarness().setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const run = (await (await t.post("/v1/syncs/people/runs?wait=true")).json()) as { id: string };
      ids.push(run.id);
    }
    const first = await body(await t.request("/v1/syncs/people/runs?limit=2"), runPage);
    expect(first.runs.map((r) => r.id)).toEqual([ids[4], ids[3]]);
    expect(first.next).toBeTruthy();
    const second = await body(await t.request(`/v1/syncs/people/runs?limit=2&cursor=${first.next}`), runPage);
    expect(second.runs.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const third = await body(await t.request(`/v1/syncs/people/runs?limit=2&cursor=${second.next}`), runPage);
    expect(third.runs.map((r) => r.id)).toEqual([ids[0]]);
    expect(third.next).toBeNull();
    const all = await body(await t.request("/v1/syncs/people/runs"), runPage);
    expect(all.runs).toHaveLength(5);
    expect(all.next).toBeNull();
  });

  it.each([
    ["limit=0", "query.limit"],
    ["limit=501", "query.limit"],
    ["limit=ten", "query.limit"],
    ["cursor=%25%25", "query.cursor"],
    ["cursor=bm90LWEtcnVu!", "query.cursor"],
  ])("answers 400 for %s", async (query, field) => {
    t = await new AppHarness().setup();
    const response = await t.request(`/v1/syncs/people/runs?${query}`);
    expect(response.status).toBe(400);
    expect((await body(response, errorSchema)).error.field).toBe(field);
  });
});
