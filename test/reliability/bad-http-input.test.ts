import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openRunCount } from "../../src/state/inspect/index.ts";
import { AppHarness } from "../server/support.ts";

/** Bad input over HTTP: each answer is a JSON error naming the problem; the service keeps serving. */
describe("bad input: HTTP", () => {
  let t: AppHarness;
  beforeAll(async () => {
    t = await new AppHarness({ bodyLimitBytes: 1024 }).setup();
  });
  afterAll(async () => t?.close());

  const json = { "content-type": "application/json" };
  const cases: Array<[string, string, RequestInit, number, RegExp]> = [
    ["malformed JSON", "/v1/syncs/people/runs", { method: "POST", headers: json, body: "{not json" }, 400, /JSON/i],
    [
      "a body that is not an object",
      "/v1/syncs/people/runs",
      { method: "POST", headers: json, body: "[1,2]" },
      400,
      /body/,
    ],
    [
      "an option of the wrong type",
      "/v1/syncs/people/runs",
      { method: "POST", headers: json, body: '{"fullResync":"yes"}' },
      400,
      /fullResync/,
    ],
    [
      "an unknown option",
      "/v1/syncs/people/runs",
      { method: "POST", headers: json, body: '{"fullresync":true}' },
      400,
      /fullresync/,
    ],
    [
      "an oversized body",
      "/v1/syncs/people/runs",
      { method: "POST", headers: json, body: JSON.stringify({ pad: "x".repeat(5000) }) },
      413,
      /large|limit/i,
    ],
    ["an unknown route", "/v1/does-not-exist", {}, 404, /no route for GET/],
    ["an unknown sync", "/v1/syncs/nobody/runs", { method: "POST" }, 404, /unknown sync "nobody"/],
    ["an unknown sequence", "/v1/sequences/nobody/runs", { method: "POST" }, 404, /unknown sequence "nobody"/],
    ["a hostile sequence run id", "/v1/sequences/nightly/runs/..%2Fstate.db", {}, 400, /id/],
    ["a path-traversal sync name", "/v1/syncs/..%2F..%2Fetc%2Fpasswd/runs", { method: "POST" }, 400, /sync/],
    ["a sync name with SQL in it", "/v1/syncs/people';DROP%20TABLE%20runs;--/failures", {}, 400, /sync/],
    ["an over-long sync name", `/v1/syncs/${"a".repeat(300)}`, {}, 400, /sync/],
    ["a hostile run id", "/v1/runs/..%2F..%2Fstate.db", {}, 400, /id/],
    ["an unknown run id", "/v1/runs/run_doesnotexist0", {}, 404, /run/],
    ["a page size out of range", "/v1/syncs/people/runs?limit=100000", {}, 400, /limit/],
    ["a garbage cursor", "/v1/syncs/people/failures?cursor=%00%ff", {}, 400, /cursor/],
    ["an unsupported failure format", "/v1/syncs/people/failures?format=xml", {}, 400, /format/],
    [
      "an over-long record key",
      `/v1/syncs/people/records/${"k".repeat(5000)}`,
      {},
      400,
      /path\.key: must be at most 4096/,
    ],
    ["an unknown record outcome", "/v1/runs/run_doesnotexist0/records?outcome=failed", {}, 400, /outcome/],
    ["a garbage changelog cursor", "/v1/syncs/people/records/1?cursor=%00%ff", {}, 400, /cursor/],
    ["an unknown destination's calls", "/v1/destinations/crm/calls", {}, 404, /no destination named "crm"/],
    ["a wait that is not a number", "/v1/syncs/people/runs?wait=forever", { method: "POST" }, 400, /wait/],
  ];

  it.each(cases)("%s", async (_name, path, init, status, message) => {
    const response = await t.request(path, init);
    expect(response.status).toBe(status);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBeTruthy();
    expect(`${body.error.message} ${JSON.stringify(body.error)}`).toMatch(message);
    expect(JSON.stringify(body)).not.toMatch(/at \w+ \(|node_modules|\/src\//);
    // The service keeps serving, and state is consistent (no run left open by a refused request).
    expect((await t.request("/v1/syncs")).status).toBe(200);
    expect(openRunCount(t.h.state.sqlite)).toBe(0);
  });
});
