import { describe, expect, it } from "vitest";
import { createIntercomFake, type IntercomFake } from "./fake.ts";
import { FAKE_TOKEN } from "./options.ts";

async function call(fake: IntercomFake, method: string, path: string, body?: unknown, token = FAKE_TOKEN) {
  const response = await fake.fetch(
    new Request(`https://api.intercom.io${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "intercom-version": "2.11", "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe("Intercom fake", () => {
  it("creates, finds, updates and deletes contacts", async () => {
    const fake = createIntercomFake();
    const created = await call(fake, "POST", "/contacts", {
      role: "user",
      external_id: "e1",
      email: "A@x.io",
      custom_attributes: { plan: "pro" },
    });
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    const found = await call(fake, "POST", "/contacts/search", {
      query: { field: "email", operator: "=", value: "a@x.io" },
    });
    expect(found.body).toMatchObject({ type: "list", total_count: 1, data: [{ id }] });
    await call(fake, "PUT", `/contacts/${id}`, { name: "A" });
    expect(fake.records()[0]).toMatchObject({ name: "A", custom_attributes: { plan: "pro" } });
    expect((await call(fake, "DELETE", `/contacts/${id}`)).body).toMatchObject({ id, deleted: true });
    expect((await call(fake, "DELETE", `/contacts/${id}`)).status).toBe(404);
    expect(fake.writes.map((write) => write.op)).toEqual(["create", "update", "delete"]);
  });

  it("refuses duplicates (409), invalid emails and batches (400), unknown custom attributes", async () => {
    const fake = createIntercomFake({ customAttributes: ["plan"] });
    await call(fake, "POST", "/contacts", { external_id: "e1" });
    const conflict = await call(fake, "POST", "/contacts", { external_id: "e1" });
    expect(conflict.status).toBe(409);
    expect((conflict.body.errors as Array<{ message: string }>)[0]?.message).toMatch(
      /already exists with id=[0-9a-f]{24}/,
    );
    expect((await call(fake, "POST", "/contacts", { email: "nope" })).status).toBe(400);
    expect((await call(fake, "POST", "/contacts", [{ external_id: "e2" }, { external_id: "e3" }])).status).toBe(400);
    const unknown = await call(fake, "POST", "/contacts", { external_id: "e4", custom_attributes: { color: "red" } });
    expect((unknown.body.errors as Array<{ code: string }>)[0]?.code).toBe("parameter_not_found");
  });

  it("answers 401 for a wrong token", async () => {
    const fake = createIntercomFake();
    const response = await call(fake, "GET", "/me", undefined, "wrong");
    expect(response.status).toBe(401);
    expect(response.body).toMatchObject({ type: "error.list", errors: [{ code: "unauthorized" }] });
  });

  it("counts calls in clock-aligned windows and answers 429 with X-RateLimit-Reset", async () => {
    const fake = createIntercomFake({ rateLimit: { requests: 2, windowMs: 60_000 } });
    const first = await call(fake, "GET", "/me");
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    await call(fake, "GET", "/me");
    const limited = await call(fake, "GET", "/me");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("x-ratelimit-remaining")).toBe("0");
    const reset = Number(limited.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("replays throttle storms and faults", async () => {
    const fake = createIntercomFake();
    fake.throttle(1);
    fake.fail({ status: 503 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(fake, "GET", "/me")).status);
    expect(statuses).toEqual([429, 503, 200]);
  });
});
