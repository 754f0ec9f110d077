import { describe, expect, it, vi } from "vitest";
import { requireService, underCi } from "./services.ts";

const NOBODY = { SYNCLINE_TEST_POSTGRES_URL: "postgres://postgres@127.0.0.1:1/test" };

describe("requireService", () => {
  it("fails under CI when the server does not answer", async () => {
    await expect(requireService("postgres", { ...NOBODY, CI: "true" })).rejects.toThrow(
      /cannot reach postgres at postgres:\/\/postgres@127\.0\.0\.1:1\/test: .* under CI a suite that needs postgres fails/,
    );
  });

  it("skips, with a warning, outside CI", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(await requireService("postgres", { ...NOBODY, CI: "false" })).toBe(false);
      expect(warn.mock.calls[0]?.[0]).toContain("postgres tests SKIPPED");
    } finally {
      warn.mockRestore();
    }
  });

  it("reads CI as CI services set it", () => {
    expect(underCi({ CI: "true" })).toBe(true);
    expect(underCi({ CI: "1" })).toBe(true);
    expect(underCi({ CI: "false" })).toBe(false);
    expect(underCi({ CI: "" })).toBe(false);
    expect(underCi({})).toBe(false);
  });
});
