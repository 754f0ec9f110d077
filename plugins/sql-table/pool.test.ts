import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { closePooled, pemFields, pooled, serverFields } from "./pool.ts";

describe("pool helpers", () => {
  it("keeps one pool per instance state until it is closed", async () => {
    const state = new Map<string, unknown>();
    let ended = 0;
    const make = () => ({ end: async () => void ended++ });
    const first = pooled(state, make);
    expect(pooled(state, make)).toBe(first);
    await closePooled(state);
    expect(ended).toBe(1);
    expect(pooled(state, make)).not.toBe(first);
    await closePooled(new Map());
  });

  it("passes on only the server fields the config sets", () => {
    expect(serverFields({ host: "db", port: undefined, user: "u" })).toEqual({ host: "db", user: "u" });
  });

  it("reads PEM files relative to the config's directory and takes PEM text as it is", () => {
    const dir = mkdtempSync(join(tmpdir(), "syncline-pem-"));
    writeFileSync(join(dir, "ca.pem"), "-----BEGIN CERTIFICATE-----\nCA");
    const text = "-----BEGIN PRIVATE KEY-----\nK";
    expect(pemFields({ ca: "ca.pem", key: text }, dir)).toEqual({ ca: "-----BEGIN CERTIFICATE-----\nCA", key: text });
    expect(() => pemFields({ cert: "missing.pem" }, dir)).toThrow(/cannot read the PEM file given as `ssl.cert`/);
  });
});
