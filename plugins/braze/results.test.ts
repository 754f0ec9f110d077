import { ConfigurationError, PermanentError, RateLimitError, TransientError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { FAKE_API_KEY } from "./fake/options.ts";
import braze from "./index.ts";
import { indexedErrors } from "./results.ts";
import { answerWith, context, fake, people, record, useBrazeServer, useFake, write } from "./test-helpers.ts";

useBrazeServer();

const NO_DATA = "Valid data must be provided in the 'attributes', 'events', or 'purchases' fields.";

describe("braze answers", () => {
  it("refuses an object other than users, naming the sync's object", async () => {
    const error = await braze
      .write(context(), { object: "contacts", operation: "upsert", records: people(1), options: {} })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "configuration", code: "unknown_object", path: "object" });
    expect(fake.calls).toHaveLength(0);
  });

  it("a 429 becomes a RateLimitError until X-RateLimit-Reset (3 s when Braze names none)", async () => {
    const answer429 = (headers: Record<string, string>) => answerWith(429, { message: "Too Many Requests" }, headers);
    const reset = Math.ceil(Date.now() / 1000) + 5;
    answer429({ "x-ratelimit-reset": String(reset), "x-ratelimit-remaining": "0" });
    const timed = (await write(people(1)).catch((error: unknown) => error)) as RateLimitError;
    expect(timed).toBeInstanceOf(RateLimitError);
    expect(timed.retryAfterMs).toBeGreaterThan(3_000);
    expect(timed.retryAfterMs).toBeLessThanOrEqual(6_000);
    answer429({});
    const bare = (await write(people(1)).catch((error: unknown) => error)) as RateLimitError;
    expect(bare).toBeInstanceOf(RateLimitError);
    expect(bare.retryAfterMs).toBe(3_000);
  });

  it("pauses the destination when X-RateLimit-Remaining reaches 0, until the reset", async () => {
    useFake({ rateLimit: { requests: 1, windowMs: 60_000 } });
    const ctx = context();
    await write(people(1), "upsert", {}, ctx);
    expect(ctx.pauses).toHaveLength(1);
    expect(ctx.pauses[0]!.ms).toBeGreaterThan(0);
    expect(ctx.pauses[0]!.ms).toBeLessThanOrEqual(61_000);
    expect(ctx.pauses[0]!.reason).toBe("Braze rate limit of users/track used up (X-RateLimit-Remaining: 0)");
  });

  it("classifies refusals: 5xx transient, 401/403 the key, 404 the baseUrl, other 400 permanent", async () => {
    fake.fail({ status: 503 });
    expect(await write(people(1)).catch((e: unknown) => e)).toBeInstanceOf(TransientError);
    fake.setApiKey("rotated");
    const unauthorized = (await write(people(1)).catch((e: unknown) => e)) as ConfigurationError;
    expect(unauthorized).toBeInstanceOf(ConfigurationError);
    expect(unauthorized).toMatchObject({ code: "http_401", path: "apiKey" });
    expect(unauthorized.message).not.toContain(FAKE_API_KEY);
    useFake({ permissions: ["users.track"] });
    const forbidden = await write([record("1", {}, "u1")], "delete").catch((e: unknown) => e);
    expect(forbidden).toMatchObject({ kind: "configuration", code: "http_403" });
    expect(forbidden).toMatchObject({ fix: expect.stringMatching(/users\.delete/) });
    useFake();
    const wrongUrl = context({ baseUrl: "https://rest.iad-01.braze.com/v9" });
    const missing = await write(people(1), "upsert", {}, wrongUrl).catch((e: unknown) => e);
    expect(missing).toMatchObject({ kind: "configuration", code: "http_404", path: "baseUrl" });
  });

  it("a 400 naming no record throws a PermanentError for a batch, and rejects a single record", async () => {
    answerWith(400, { message: "Invalid JSON in request body" });
    expect(await write(people(2)).catch((e: unknown) => e)).toBeInstanceOf(PermanentError);
    expect(await write(people(1))).toEqual([
      { key: "1", status: "reject", code: "http_400", message: "Invalid JSON in request body" },
    ]);
  });

  it("retries records a 2xx does not confirm: no success message, or an error naming no record", async () => {
    const answer = (body: unknown, status = 201) => answerWith(status, body);
    answer({ message: "queued" }, 202);
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    answer({ message: "something else" });
    expect((await write(people(1)))[0]).toMatchObject({ status: "retry", code: "malformed_response" });
    answer({ message: "success", errors: [{ type: "odd", input_array: "attributes", index: 9 }] });
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["retry", "retry"]);
    answer({ message: NO_DATA, errors: [{ type: "'email' is not valid", input_array: "attributes", index: 0 }] }, 400);
    expect((await write(people(2))).map((outcome) => outcome.status)).toEqual(["reject", "retry"]);
  });
});

describe("braze errors[] parsing", () => {
  it("ties attributes errors to records by index; events and purchases errors are not theirs", () => {
    const { named, untied } = indexedErrors(
      {
        message: "success",
        errors: [
          { type: "'email' is not valid", input_array: "attributes", index: 1 },
          { type: "'dob' is not valid", input_array: "attributes", index: 1 },
          { type: "'price' is not valid", input_array: "purchases", index: 0 },
          { type: "no index", input_array: "attributes" },
          { type: "out of range", input_array: "attributes", index: 3 },
          { type: "not an integer", input_array: "attributes", index: 0.5 },
          "a bare string",
        ],
      },
      3,
    );
    expect([...named]).toEqual([[1, "'email' is not valid; 'dob' is not valid"]]);
    expect(untied).toEqual(["no index", "out of range", "not an integer", '"a bare string"']);
    expect(indexedErrors({ message: "success" }, 2)).toEqual({ named: new Map(), untied: [] });
    expect(indexedErrors("<html>", 2)).toEqual({ named: new Map(), untied: [] });
  });
});
