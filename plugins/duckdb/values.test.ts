import { canonicalDecimal, canonicalTimestamp } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { seeded } from "../../test/support/random.ts";
import { decimalFromUnscaled, timestampFromMicros } from "./values.ts";

describe("DuckDB fast value conversions agree with the SDK's canonical forms", () => {
  const random = seeded(7);
  it("timestamps", () => {
    const edges = [
      0n,
      -1n,
      1n,
      999n,
      1000n,
      -1000n,
      -1001n,
      86_400_000_000n,
      -62135596800000000n,
      253402300799999999n,
      253402300800000000n,
      -62135596800000001n,
      9007199254740993n,
      -9007199254740993n,
      10n ** 17n,
      -(10n ** 17n),
    ];
    for (let i = 0; i < 20000; i++) edges.push(BigInt(Math.floor((random() - 0.5) * 2 * 10 ** (random() * 17))));
    for (const micros of edges) {
      let expected: string | Error;
      try {
        expected = canonicalTimestamp(micros);
      } catch (error) {
        expected = error as Error;
      }
      if (expected instanceof Error) expect(() => timestampFromMicros(micros)).toThrow();
      else expect(timestampFromMicros(micros)).toBe(expected);
    }
  });

  it("decimals", () => {
    for (let i = 0; i < 20000; i++) {
      const unscaled =
        BigInt(Math.floor((random() - 0.5) * 2 * 10 ** (random() * 15))) * 10n ** BigInt(Math.floor(random() * 4));
      const scale = 1 + Math.floor(random() * 12);
      expect(decimalFromUnscaled(unscaled, scale)).toBe(canonicalDecimal({ unscaled, scale }));
    }
    expect(decimalFromUnscaled(-50n, 2)).toBe("-0.5");
    expect(decimalFromUnscaled(0n, 2)).toBe("0");
  });
});
