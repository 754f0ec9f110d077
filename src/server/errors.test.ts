import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import { AppHarness, body, SECRET } from "../../test/server/support.ts";
import { QueueFullError, UnknownSyncError } from "../engine/index.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { PermanentError } from "../sdk/errors/permanent-error.ts";
import { TransientError } from "../sdk/errors/transient-error.ts";
import { ApiError, toApiError } from "./errors.ts";
import { errorSchema } from "./schemas.ts";

describe("toApiError: one table from errors to statuses", () => {
  it.each([
    [new ApiError(409, "conflict", "x"), 409, "conflict"],
    [new UnknownSyncError("a", ["b"]), 404, "unknown_sync"],
    [new QueueFullError(100), 429, "queue_full"],
    [new TransientError("later", { code: "warehouse_busy", retryAfterMs: 2500 }), 503, "warehouse_busy"],
    [new PermanentError("no", { code: "bad_record" }), 422, "bad_record"],
    [new ConfigurationError("fix it", { code: "state_open" }), 500, "state_open"],
  ])("maps %s", (error, status, code) => {
    const api = toApiError(error);
    expect(api?.status).toBe(status);
    expect(api?.code).toBe(code);
  });

  it("names the field of a valibot error and sets Retry-After where the caller should wait", () => {
    const result = v.safeParse(v.object({ limit: v.number() }), { limit: "x" });
    const api = toApiError(new v.ValiError(result.issues!));
    expect(api).toMatchObject({ status: 400, code: "invalid_input", field: "body.limit" });
    expect(toApiError(new QueueFullError(1))?.headers["retry-after"]).toBe("30");
    expect(toApiError(new TransientError("x", { retryAfterMs: 2500 }))?.headers["retry-after"]).toBe("3");
  });

  it("leaves anything else to the internal-error answer", () => {
    expect(toApiError(new Error("boom"))).toBeUndefined();
    expect(toApiError("string")).toBeUndefined();
  });
});

describe("the error boundary", () => {
  let t: AppHarness;
  afterEach(async () => t?.close());

  it("answers 500 without internals for an unexpected error, and logs it redacted", async () => {
    t = await new AppHarness().setup();
    t.h.engine.trigger = () => {
      throw new Error(`connection to postgres://admin:${SECRET}@db failed at /srv/app/internal.ts:42`);
    };
    const response = await t.post("/v1/syncs/people/runs");
    expect(response.status).toBe(500);
    const text = await response.clone().text();
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain("internal.ts");
    expect((await body(response, errorSchema)).error).toEqual({
      code: "internal",
      message: "internal error; see the service log",
    });
    const logged = t.logs.find((line) => line.includes("internal error answering a request"));
    expect(logged).toContain("[redacted]");
    expect(logged).not.toContain(SECRET);
  });

  it("redacts a secret that a user-facing error message carries", async () => {
    t = await new AppHarness().setup();
    t.h.engine.trigger = () => {
      throw new TransientError(`the warehouse refused key ${SECRET}`, { code: "warehouse_busy" });
    };
    const response = await t.post("/v1/syncs/people/runs");
    expect(response.status).toBe(503);
    expect((await body(response, errorSchema)).error.message).toBe("the warehouse refused key [redacted]");
  });

  it("answers unknown routes with a JSON 404", async () => {
    t = await new AppHarness().setup();
    const response = await t.request("/nothing");
    expect(response.status).toBe(404);
    expect((await body(response, errorSchema)).error.code).toBe("not_found");
  });
});
