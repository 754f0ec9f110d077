import { describe, expect, it } from "vitest";
import { type BrazeFake, createBrazeFake } from "./fake.ts";
import { FAKE_API_KEY } from "./options.ts";

async function call(fake: BrazeFake, path: string, body: unknown, key = FAKE_API_KEY) {
  const response = await fake.fetch(
    new Request(`https://rest.iad-01.braze.com${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    }),
  );
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

const users = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ external_id: `u${from + i}`, first_name: `F${from + i}` }));

describe("Braze fake", () => {
  it("creates and updates users by external_id, merging attributes", async () => {
    const fake = createBrazeFake();
    const first = await call(fake, "/users/track", {
      attributes: [{ external_id: "u1", email: "a@x.io", plan: "pro" }],
    });
    expect(first).toMatchObject({ status: 201, body: { message: "success", attributes_processed: 1 } });
    await call(fake, "/users/track", { attributes: [{ external_id: "u1", first_name: "Ann" }] });
    expect(fake.records()).toHaveLength(1);
    expect(fake.records()[0]).toMatchObject({
      external_id: "u1",
      attributes: { email: "a@x.io", plan: "pro", first_name: "Ann" },
    });
    expect(fake.writes.map((write) => write.op)).toEqual(["create", "update"]);
  });

  it("leaves alias-only users update-only unless _update_existing_only is false, as Braze does", async () => {
    const fake = createBrazeFake();
    const alias = { alias_name: "c-1", alias_label: "crm_id" };
    const ignored = await call(fake, "/users/track", { attributes: [{ user_alias: alias, plan: "pro" }] });
    expect(ignored.status).toBe(201);
    expect(fake.records()).toEqual([]);
    await call(fake, "/users/track", {
      attributes: [{ user_alias: alias, _update_existing_only: false, plan: "pro" }],
    });
    expect(fake.records()[0]).toMatchObject({ external_id: null, user_aliases: [alias], attributes: { plan: "pro" } });
  });

  it("names refused attribute objects by index (201), and answers 400 when none was taken", async () => {
    const fake = createBrazeFake({
      validate: (object) => (object.plan === "gold" ? "'plan' is not allowed" : undefined),
    });
    const partial = await call(fake, "/users/track", {
      attributes: [
        { external_id: "u0" },
        { external_id: "u1", email: "nope" },
        { first_name: "no id" },
        { external_id: "u3", plan: "gold" },
      ],
    });
    expect(partial).toMatchObject({
      status: 201,
      body: {
        message: "success",
        attributes_processed: 1,
        errors: [
          { type: "'email' is not valid", input_array: "attributes", index: 1 },
          {
            type: "Exactly one of 'external_id', 'user_alias' or 'braze_id' is required",
            input_array: "attributes",
            index: 2,
          },
          { type: "'plan' is not allowed", input_array: "attributes", index: 3 },
        ],
      },
    });
    const none = await call(fake, "/users/track", { attributes: [{ external_id: "u9", dob: "1990/01/01" }] });
    expect(none.status).toBe(400);
    expect(none.body).toMatchObject({ errors: [{ type: "'dob' is not valid", index: 0 }] });
    expect((await call(fake, "/users/track", {})).status).toBe(400);
    expect(fake.records().map((user) => user.external_id)).toEqual(["u0"]);
  });

  it("refuses more than 75 objects a call, attributes, events and purchases combined", async () => {
    const fake = createBrazeFake();
    expect((await call(fake, "/users/track", { attributes: users(75) })).status).toBe(201);
    const over = await call(fake, "/users/track", { attributes: users(70, 100), events: users(6) });
    expect(over.status).toBe(400);
    expect(fake.counters.tooLarge).toBe(1);
    expect(fake.records()).toHaveLength(75);
  });

  it("deletes up to 50 users a call by one kind of identifier, skipping unknown ones", async () => {
    const fake = createBrazeFake();
    await call(fake, "/users/track", { attributes: users(3) });
    const deleted = await call(fake, "/users/delete", { external_ids: ["u0", "u2", "nobody"] });
    expect(deleted).toMatchObject({ status: 201, body: { deleted: 2, message: "success" } });
    expect(fake.records().map((user) => user.external_id)).toEqual(["u1"]);
    const ids = Array.from({ length: 51 }, (_, i) => `x${i}`);
    expect((await call(fake, "/users/delete", { external_ids: ids })).status).toBe(400);
    expect((await call(fake, "/users/delete", { external_ids: ["u1"], braze_ids: ["b"] })).status).toBe(400);
    expect(fake.records()).toHaveLength(1);
  });

  it("answers 401 for a wrong key and 403 for a key without the endpoint's permission", async () => {
    const fake = createBrazeFake({ permissions: ["users.track"] });
    expect((await call(fake, "/users/track", { attributes: users(1) }, "wrong")).status).toBe(401);
    expect((await call(fake, "/users/delete", { external_ids: ["u0"] })).status).toBe(403);
    expect(fake.counters.unauthorized).toBe(2);
  });

  it("limits each endpoint in its own clock-aligned window, answering 429 with X-RateLimit-Reset", async () => {
    const fake = createBrazeFake({ rateLimit: { requests: 2, windowMs: 60_000 } });
    const first = await call(fake, "/users/track", { attributes: users(1) });
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    await call(fake, "/users/track", { attributes: users(1) });
    const limited = await call(fake, "/users/track", { attributes: users(1) });
    expect(limited.status).toBe(429);
    const reset = Number(limited.headers.get("x-ratelimit-reset"));
    expect(reset * 1000).toBeGreaterThan(Date.now());
    expect(reset * 1000).toBeLessThanOrEqual(Date.now() + 61_000);
    expect((await call(fake, "/users/delete", { external_ids: ["u0"] })).status).toBe(201);
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("replays throttle storms and faults", async () => {
    const fake = createBrazeFake();
    fake.throttle(1);
    fake.fail({ status: 503 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(fake, "/users/track", { attributes: users(1) })).status);
    expect(statuses).toEqual([429, 503, 201]);
  });
});
