import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body } from "../../../test/server/support.ts";
import { failurePage } from "../schemas.ts";

let t: AppHarness;
afterEach(async () => t?.close());

async function withFailures() {
  t = await new AppHarness({ rows: 12 }).setup();
  t.h.destination.decide = (record) => (Number(record.key) % 4 === 0 ? "reject" : "ok");
  await t.post("/v1/syncs/people/runs?wait=true");
  return t;
}

describe("GET /v1/syncs/{sync}/failures", () => {
  it("pages the retry ledger as JSON with the destination's reasons", async () => {
    await withFailures();
    const first = await body(await t.request("/v1/syncs/people/failures?limit=2"), failurePage);
    expect(first.total).toBe(3);
    expect(first.failures.map((f) => f.key)).toEqual(["12", "4"]);
    expect(first.failures[0]).toMatchObject({
      errorClass: "permanent",
      errorCode: "INVALID",
      reason: "record 12 is invalid",
    });
    const second = await body(await t.request(`/v1/syncs/people/failures?limit=2&cursor=${first.next}`), failurePage);
    expect(second.failures.map((f) => f.key)).toEqual(["8"]);
    expect(second.next).toBeNull();
  });

  it("exports the whole ledger as CSV when asked by Accept or ?format=csv", async () => {
    await withFailures();
    for (const init of [{ headers: { accept: "text/csv" } }, {}]) {
      const path = "headers" in init ? "/v1/syncs/people/failures" : "/v1/syncs/people/failures?format=csv";
      const response = await t.request(path, init);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
      expect(response.headers.get("content-disposition")).toContain("people-failures.csv");
      const lines = (await response.text()).trim().split("\r\n");
      expect(lines[0]).toMatch(/^key,operation,change,attempts,error_class,error_code,reason/);
      expect(lines.slice(1).map((line) => line.split(",")[0])).toEqual(["12", "4", "8"]);
      expect(lines[1]).toContain("record 12 is invalid");
    }
  });

  it("is empty after a clean run retries the failed records", async () => {
    await withFailures();
    t.h.destination.decide = () => "ok";
    const run = (await (await t.post("/v1/syncs/people/runs?wait=true")).json()) as { counts: { planned: object } };
    expect(run.counts.planned).toEqual({ added: 3, changed: 0, removed: 0 });
    const page = await body(await t.request("/v1/syncs/people/failures"), failurePage);
    expect(page).toMatchObject({ total: 0, failures: [], next: null });
  });

  it("answers 400 for an unknown format and 404 for an unknown sync", async () => {
    t = await new AppHarness().setup();
    expect((await t.request("/v1/syncs/people/failures?format=xml")).status).toBe(400);
    expect((await t.request("/v1/syncs/nope/failures")).status).toBe(404);
  });
});
