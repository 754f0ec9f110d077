import { describe, expect, it } from "vitest";
import { classifySnowflakeError } from "./errors.ts";

const kind = (error: object) => classifySnowflakeError(Object.assign(new Error("x"), error), "test");

describe("snowflake error classification (by code, never by message)", () => {
  it("treats login refusals as configuration errors with a fix", () => {
    for (const code of ["390100", "390144", "390189", "390201", "390422", "390199"]) {
      expect(kind({ code, sqlState: "08004" })).toMatchObject({ kind: "configuration" });
    }
    expect(kind({ code: "390112" }).kind).toBe("transient");
  });

  it("treats bad SQL, missing objects and privileges as configuration errors", () => {
    expect(kind({ code: "002003", sqlState: "42S02" }).kind).toBe("configuration");
    expect(kind({ code: "001003", sqlState: "42000" }).kind).toBe("configuration");
    expect(kind({ code: "003001", sqlState: "42501" }).fix).toMatch(/GRANT/);
    expect(kind({ code: "000606", sqlState: "57P03" }).fix).toMatch(/warehouse/);
    expect(kind({ code: "100038", sqlState: "22018" }).kind).toBe("configuration");
  });

  it("treats cancels, timeouts and network failures as transient", () => {
    expect(kind({ code: "000604", sqlState: "57014" }).code).toBe("cancelled");
    expect(kind({ code: "000630", sqlState: "57014" }).code).toBe("query_timeout");
    expect(kind({ code: 401001 })).toMatchObject({ kind: "transient", code: "network" });
    expect(kind({ code: 402002 }).kind).toBe("transient");
    expect(kind({ code: "000603", sqlState: "XX000" }).kind).toBe("transient");
  });

  it("reads the HTTP status of a failed request", () => {
    expect(kind({ code: 401002, response: { statusCode: 503 } }).kind).toBe("transient");
    expect(kind({ code: 401002, response: { statusCode: 429 } }).kind).toBe("transient");
    expect(kind({ code: 401002, response: { statusCode: 404 } }).fix).toMatch(/account/);
    expect(kind({ code: 401002, response: { statusCode: 403 } }).kind).toBe("configuration");
  });

  it("treats invalid connection options as configuration errors", () => {
    expect(kind({ code: 404005 }).kind).toBe("configuration");
  });
});
