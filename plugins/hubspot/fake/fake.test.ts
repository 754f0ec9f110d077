import { describe, expect, it } from "vitest";
import { createHubSpotFake } from "./fake.ts";
import { FAKE_TOKEN } from "./options.ts";

const URL_BASE = "https://api.hubapi.com";

function call(fake: ReturnType<typeof createHubSpotFake>, path: string, body?: unknown, token = FAKE_TOKEN) {
  return fake.fetch(
    new Request(`${URL_BASE}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

const upsertInput = (email: string, extra: Record<string, string> = {}) => ({
  idProperty: "email",
  id: email,
  properties: { email, ...extra },
});

describe("HubSpot fake", () => {
  it("upserts by idProperty: creates, then updates the same record (emails compared lower-cased)", async () => {
    const fake = createHubSpotFake();
    const first = await call(fake, "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [upsertInput("Ann@Example.com")],
    });
    expect(first.status).toBe(200);
    const created = (await first.json()) as { results: Array<{ id: string; new: boolean }> };
    expect(created.results[0]?.new).toBe(true);
    const second = await call(fake, "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [upsertInput("ann@example.com", { firstname: "Ann" })],
    });
    const updated = (await second.json()) as { results: Array<{ id: string; new: boolean }> };
    expect(updated.results[0]).toMatchObject({ id: created.results[0]?.id, new: false });
    expect(fake.records("contacts")).toHaveLength(1);
    expect(fake.records("contacts")[0]?.properties).toMatchObject({ email: "ann@example.com", firstname: "Ann" });
    expect(fake.writes.map((write) => write.op)).toEqual(["create", "update"]);
  });

  it("refuses more than 100 inputs with 400 and writes nothing", async () => {
    const fake = createHubSpotFake();
    const inputs = Array.from({ length: 101 }, (_, i) => upsertInput(`p${i}@example.com`));
    const response = await call(fake, "/crm/v3/objects/contacts/batch/upsert", { inputs });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { category: string }).category).toBe("VALIDATION_ERROR");
    expect(fake.records("contacts")).toHaveLength(0);
    expect(fake.counters.tooLarge).toBe(1);
  });

  it("answers invalid records with 207 and errors[] naming them, and applies the rest", async () => {
    const fake = createHubSpotFake();
    const response = await call(fake, "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [upsertInput("good@example.com"), upsertInput("not-an-email")],
    });
    expect(response.status).toBe(207);
    const body = (await response.json()) as {
      results: unknown[];
      errors: Array<{ category: string; message: string; context: { ids: string[] } }>;
    };
    expect(body.results).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({ category: "VALIDATION_ERROR", context: { ids: ["not-an-email"] } });
    expect(body.errors[0]?.message).toContain("Email address not-an-email is invalid");
    expect(fake.records("contacts").map((record) => record.properties.email)).toEqual(["good@example.com"]);
  });

  it("in reject-batch mode refuses the whole call with 400 and writes nothing", async () => {
    const fake = createHubSpotFake({ invalidMode: "reject-batch" });
    const response = await call(fake, "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [upsertInput("good@example.com"), upsertInput("bad")],
    });
    expect(response.status).toBe(400);
    expect(fake.records("contacts")).toHaveLength(0);
  });

  it("refuses duplicate ids in one batch", async () => {
    const fake = createHubSpotFake();
    const response = await call(fake, "/crm/v3/objects/contacts/batch/upsert", {
      inputs: [upsertInput("a@example.com"), upsertInput("A@example.com")],
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain("Duplicate IDs");
  });

  it("answers 401 for a wrong token", async () => {
    const fake = createHubSpotFake();
    const response = await call(fake, "/crm/v3/objects/contacts?limit=1", undefined, "wrong");
    expect(response.status).toBe(401);
    expect(((await response.json()) as { category: string }).category).toBe("INVALID_AUTHENTICATION");
    expect(fake.counters.unauthorized).toBe(1);
  });

  it("allows R requests per rolling window, then 429 with Retry-After and rate-limit headers", async () => {
    const fake = createHubSpotFake({ rateLimit: { requests: 3, windowMs: 2_000 } });
    const remaining: Array<string | null> = [];
    for (let i = 0; i < 3; i++) {
      const response = await call(fake, "/crm/v3/objects/contacts?limit=1");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-hubspot-ratelimit-max")).toBe("3");
      expect(response.headers.get("x-hubspot-ratelimit-interval-milliseconds")).toBe("2000");
      remaining.push(response.headers.get("x-hubspot-ratelimit-remaining"));
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    const limited = await call(fake, "/crm/v3/objects/contacts?limit=1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(2);
    expect(((await limited.json()) as { policyName: string }).policyName).toBe("TEN_SECONDLY_ROLLING");
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("reports sub-second Retry-After for scaled-down windows", async () => {
    const fake = createHubSpotFake({ rateLimit: { requests: 1, windowMs: 200 } });
    await call(fake, "/crm/v3/objects/contacts?limit=1");
    const limited = await call(fake, "/crm/v3/objects/contacts?limit=1");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(0.2);
    await new Promise((resolve) => setTimeout(resolve, 210));
    expect((await call(fake, "/crm/v3/objects/contacts?limit=1")).status).toBe(200);
  });

  it("enforces the daily limit: 429 DAILY without Retry-After until midnight in the account's time zone", async () => {
    const fake = createHubSpotFake({ dailyLimit: 10, dailyUsed: 9, timeZone: "America/New_York" });
    const last = await call(fake, "/crm/v3/objects/contacts?limit=1");
    expect(last.status).toBe(200);
    expect(last.headers.get("x-hubspot-ratelimit-daily-remaining")).toBe("0");
    const refused = await call(fake, "/crm/v3/objects/contacts?limit=1");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBeNull();
    expect(((await refused.json()) as { policyName: string }).policyName).toBe("DAILY");
    expect(fake.counters.quotaExhausted).toBe(1);
    fake.resetDaily();
    expect((await call(fake, "/crm/v3/objects/contacts?limit=1")).status).toBe(200);
  });

  it("replays injected faults and throttle storms, then recovers", async () => {
    const fake = createHubSpotFake();
    fake.fail({ status: 503, times: 1 });
    fake.throttle(2);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(fake, "/crm/v3/objects/contacts?limit=1")).status);
    expect(statuses).toEqual([503, 429, 429, 200]);
    expect(fake.counters).toMatchObject({ calls: 4, faults: 1, rateLimited: 2 });
  });

  it("creates with conflicts on unique values, updates by id, reads and archives", async () => {
    const fake = createHubSpotFake();
    const created = await call(fake, "/crm/v3/objects/contacts/batch/create", {
      inputs: [{ properties: { email: "x@example.com" }, objectWriteTraceId: "0" }],
    });
    expect(created.status).toBe(201);
    const id =
      ((await created.json()) as { results: Array<{ id: string; objectWriteTraceId: string }> }).results[0]?.id ?? "";
    const conflict = await call(fake, "/crm/v3/objects/contacts/batch/create", {
      inputs: [{ properties: { email: "x@example.com" }, objectWriteTraceId: "7" }],
    });
    expect(conflict.status).toBe(207);
    expect(((await conflict.json()) as { errors: unknown[] }).errors[0]).toMatchObject({
      category: "CONFLICT",
      context: { objectWriteTraceId: ["7"] },
    });
    const updated = await call(fake, "/crm/v3/objects/contacts/batch/update", {
      inputs: [
        { id, properties: { firstname: "X" } },
        { id: "999999", properties: {} },
      ],
    });
    expect(updated.status).toBe(207);
    const read = await call(fake, "/crm/v3/objects/contacts/batch/read", {
      idProperty: "email",
      inputs: [{ id: "X@example.com" }],
    });
    expect(((await read.json()) as { results: Array<{ id: string }> }).results[0]?.id).toBe(id);
    expect(
      (await call(fake, "/crm/v3/objects/contacts/batch/archive", { inputs: [{ id }, { id: "404" }] })).status,
    ).toBe(204);
    expect(fake.records("contacts")).toHaveLength(0);
  });

  it("knows custom objects by name and type id, and refuses unknown types", async () => {
    const fake = createHubSpotFake();
    const response = await call(fake, "/crm/v3/objects/2-12345/batch/upsert", {
      inputs: [{ idProperty: "widget_id", id: "w1", properties: { size: "3" } }],
    });
    expect(response.status).toBe(200);
    expect(fake.records("p_widgets")[0]?.properties).toMatchObject({ widget_id: "w1", size: "3" });
    expect((await call(fake, "/crm/v3/objects/p_nothing?limit=1")).status).toBe(400);
  });
});
