import { RateLimitError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { context, fake, people, record, useBrazeServer, write } from "./test-helpers.ts";

useBrazeServer();

describe("braze /users/delete", () => {
  it("deletes by remote id in calls of at most 50; records never delivered are rejected", async () => {
    await write(people(75));
    await write(people(45, 76));
    const deletions = people(120).map((item) => record(item.key, {}, `u${item.key}`));
    deletions.push(record("999", {}));
    const outcomes = await write(deletions, "delete");
    expect(outcomes.filter((outcome) => outcome.status === "ok")).toHaveLength(120);
    expect(outcomes.at(-1)).toMatchObject({ key: "999", status: "reject", code: "missing_id" });
    expect(fake.calls.filter((call) => call.path === "/users/delete").map((call) => call.records)).toEqual([
      50, 50, 20,
    ]);
    expect(fake.records()).toEqual([]);
    expect((await write(deletions.slice(0, 3), "delete")).map((outcome) => outcome.status)).toEqual(["ok", "ok", "ok"]);
  });

  it("keeps the calls already answered when a later one fails, retrying the rest with the wait", async () => {
    await write(people(75));
    const deletions = people(75).map((item) => record(item.key, {}, `u${item.key}`));
    fake.fail({ status: 503, match: () => fake.calls.some((call) => call.path === "/users/delete") });
    const outcomes = await write(deletions, "delete");
    expect(outcomes.slice(0, 50).every((outcome) => outcome.status === "ok")).toBe(true);
    expect(outcomes.slice(50).every((outcome) => outcome.status === "retry")).toBe(true);
    expect(fake.records()).toHaveLength(25);
  });

  it("paces /users/delete by its own limit, shared by the destination instance", async () => {
    const ctx = context({ deleteRateLimit: { requests: 1, windowMs: 60_000 } });
    const deletions = people(75).map((item) => record(item.key, {}, `u${item.key}`));
    const outcomes = await write(deletions, "delete", {}, ctx);
    expect(outcomes[74]).toMatchObject({ status: "retry", code: "rate_limited", retryAfterMs: expect.any(Number) });
    expect(await write(deletions.slice(0, 1), "delete", {}, ctx).catch((e: unknown) => e)).toBeInstanceOf(
      RateLimitError,
    );
    expect(fake.calls).toHaveLength(1);
  });
});
