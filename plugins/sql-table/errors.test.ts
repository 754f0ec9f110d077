import { describe, expect, it } from "vitest";
import { NETWORK_CODES, socketFailure } from "./errors.ts";

describe("socketFailure", () => {
  const network = new Set(NETWORK_CODES);
  it("retries an unreachable server, asks to fix an unknown host, and leaves other codes alone", () => {
    const retried = socketFailure("ECONNREFUSED", network, "connecting failed", undefined);
    expect([retried?.kind, retried?.code]).toEqual(["transient", "network"]);
    const unknown = socketFailure("ENOTFOUND", network, "connecting failed", undefined);
    expect([unknown?.kind, unknown?.code]).toEqual(["configuration", "host_not_found"]);
    expect(unknown?.fix).toMatch(/^the host name does not resolve: check `host`/);
    expect(socketFailure("42P01", network, "x", undefined)).toBeUndefined();
  });
});
