import { describe, expect, it } from "vitest";
import { pgWriteError } from "./destination-errors.ts";
import { classifyPgError } from "./errors.ts";

const pgError = (code: string) => Object.assign(new Error("boom"), { code });
const classified = (code: string) => {
  const error = classifyPgError(pgError(code), "reading");
  return [error.kind, error.code];
};

describe("classifyPgError", () => {
  // code:tag pairs by the kind they classify as.
  const expected = {
    transient:
      "ECONNRESET:network 57014:query_timeout 55P03:lock_not_available 57P01:57P01 40001:40001 SOMETHING:unexpected",
    configuration:
      "ENOTFOUND:host_not_found CERT_HAS_EXPIRED:tls 3D000:3D000 42501:42501 28P01:28P01 22003:22003 P0001:P0001",
  };
  const cases = Object.entries(expected).flatMap(([kind, pairs]) =>
    pairs.split(" ").map((pair) => [...pair.split(":"), kind] as [string, string, string]),
  );
  it.each(cases)("classifies %s as %s, %s", (code, tag, kind) => {
    expect(classified(code)).toEqual([kind, tag]);
  });

  it("gives the network fix to a connection-class SQLSTATE", () => {
    expect(classifyPgError(pgError("08006"), "reading").fix).toMatch(/host/);
  });

  it("reads no meaning into codes that name Object properties", () => {
    expect(classified("constructor")).toEqual(["transient", "unexpected"]);
  });
});

describe("pgWriteError", () => {
  it("names the table in a privilege fix and leaves other codes to the shared classification", () => {
    const denied = pgWriteError(pgError("42501"), "crm.people");
    expect([denied.kind, denied.fix]).toEqual([
      "configuration",
      "the user lacks a privilege: GRANT SELECT, INSERT, UPDATE, DELETE ON crm.people to it",
    ]);
    expect(pgWriteError(pgError("42P10"), "t").fix).toMatch(/unique index/);
    expect(pgWriteError(pgError("23505"), "t").kind).toBe("permanent");
    expect(pgWriteError(pgError("ECONNREFUSED"), "t").code).toBe("network");
  });
});
