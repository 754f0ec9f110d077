import { describe, expect, it } from "vitest";
import { mysqlError } from "./errors.ts";

const classified = (fields: { code?: string; errno?: number; sqlState?: string }) => {
  const error = mysqlError(Object.assign(new Error("boom"), fields), "writing");
  return [error.kind, error.code];
};

describe("mysqlError", () => {
  it("classifies Node codes, server error numbers and SQLSTATEs by table", () => {
    expect(classified({ code: "PROTOCOL_CONNECTION_LOST" })).toEqual(["transient", "network"]);
    expect(classified({ code: "ECONNREFUSED" })).toEqual(["transient", "network"]);
    expect(classified({ code: "ENOTFOUND" })).toEqual(["configuration", "host_not_found"]);
    expect(classified({ code: "HANDSHAKE_NO_SSL_SUPPORT" })).toEqual(["configuration", "tls"]);
    expect(classified({ code: "ER_ACCESS_DENIED_ERROR", errno: 1045 })).toEqual([
      "configuration",
      "ER_ACCESS_DENIED_ERROR",
    ]);
    expect(classified({ code: "ER_TABLEACCESS_DENIED_ERROR", errno: 1142 })).toEqual([
      "configuration",
      "ER_TABLEACCESS_DENIED_ERROR",
    ]);
    expect(classified({ code: "ER_LOCK_DEADLOCK", errno: 1213 })).toEqual(["transient", "lock"]);
    expect(classified({ code: "ER_DUP_ENTRY", errno: 1062, sqlState: "23000" })).toEqual(["permanent", "ER_DUP_ENTRY"]);
    expect(classified({ errno: 1406 })).toEqual(["permanent", "1406"]);
    expect(classified({ code: "ER_SOMETHING", errno: 9999 })).toEqual(["transient", "ER_SOMETHING"]);
    expect(classified({})).toEqual(["transient", "unexpected"]);
  });

  it("says which privilege to grant", () => {
    expect(mysqlError(Object.assign(new Error("x"), { errno: 1143 }), "writing").fix).toMatch(/GRANT SELECT, INSERT/);
  });
});
