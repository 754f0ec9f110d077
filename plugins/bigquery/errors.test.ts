import { describe, expect, it } from "vitest";
import { classifyBigQueryError } from "./errors.ts";

const classify = (error: object) => classifyBigQueryError(Object.assign(new Error("x"), error), "test");

describe("bigquery error classification (by reason, OAuth code, status; never by message)", () => {
  it("maps BigQuery reasons", () => {
    expect(classify({ code: 400, errors: [{ reason: "invalidQuery" }] }).kind).toBe("configuration");
    expect(classify({ code: 404, errors: [{ reason: "notFound" }] }).kind).toBe("configuration");
    expect(classify({ code: 403, errors: [{ reason: "accessDenied" }] }).fix).toMatch(/dataViewer/);
    expect(classify({ errors: [{ reason: "bytesBilledLimitExceeded" }] }).fix).toMatch(/maximumBytesBilled/);
    expect(classify({ code: 403, errors: [{ reason: "rateLimitExceeded" }] }).kind).toBe("transient");
    expect(classify({ code: 503, errors: [{ reason: "backendError" }] }).kind).toBe("transient");
    expect(classify({ code: 400, errors: [{ reason: "stopped" }] }).code).toBe("cancelled");
  });

  it("maps OAuth token errors and HTTP statuses", () => {
    expect(classify({ response: { status: 400, data: { error: "invalid_grant" } } })).toMatchObject({
      kind: "configuration",
      code: "invalid_grant",
    });
    expect(classify({ response: { status: 503, data: { error: "temporarily_unavailable" } } }).kind).toBe("transient");
    expect(classify({ code: 401 }).kind).toBe("configuration");
    expect(classify({ code: 502 }).kind).toBe("transient");
  });

  it("maps socket errors", () => {
    expect(classify({ cause: { code: "ECONNREFUSED" } })).toMatchObject({ kind: "transient", code: "network" });
    expect(classify({ code: "ENOTFOUND" }).kind).toBe("configuration");
  });
});
