import { describe, expect, it } from "vitest";
import { canonicalTimestampText, timestampMicros } from "./timestamp.ts";
import { canonicalTimestamp } from "./values.ts";

describe("timestamp text", () => {
  it("parses to exact epoch microseconds, with any offset", () => {
    expect(timestampMicros("2024-01-02 03:04:05.123456")).toBe(1704164645123456n);
    expect(timestampMicros("2024-01-02T03:04:05.123456Z")).toBe(1704164645123456n);
    expect(timestampMicros("2024-01-02 08:34:05.123456+05:30")).toBe(1704164645123456n);
    expect(timestampMicros("2024-01-01 23:04:05.123456-04")).toBe(1704164645123456n);
    expect(timestampMicros("1969-12-31 23:59:59.999999+00")).toBe(-1n);
    expect(timestampMicros("1890-06-15 12:00:00+00:19:32")).toBe(BigInt(Date.UTC(1890, 5, 15, 11, 40, 28)) * 1000n);
    expect(timestampMicros("2024-01-02 03:04:05.123456789")).toBe(1704164645123456n);
    expect(timestampMicros("infinity")).toBeUndefined();
    expect(timestampMicros("2024-01-02")).toBeUndefined();
  });

  it("becomes its canonical value, or stays text when it is no timestamp", () => {
    expect(canonicalTimestampText("2024-01-02 05:04:05.50+02")).toBe("2024-01-02T03:04:05.5Z");
    expect(canonicalTimestampText("0099-01-01 00:00:00")).toBe("0099-01-01T00:00:00Z");
    expect(canonicalTimestampText("-infinity")).toBe("-infinity");
  });
});

describe("timestamp text in UTC (the fast path)", () => {
  const general = (text: string) => {
    const micros = timestampMicros(text);
    return micros === undefined ? text : canonicalTimestamp(micros);
  };

  it("gives what the general path gives, for valid and carried-over fields alike", () => {
    const texts = [
      "2024-02-29 23:59:59.999999+00",
      "2023-02-29 00:00:00+00",
      "1900-02-29 00:00:00Z",
      "2000-02-29T12:00:00.5Z",
      "2024-04-31 00:00:00",
      "2024-13-01 00:00:00",
      "2024-00-10 00:00:00",
      "2024-01-00 00:00:00",
      "2024-01-01 24:00:00+00",
      "2024-01-01 23:60:00+00",
      "2024-01-01 23:59:60+00",
      "0000-01-01 00:00:00+00:00",
      "0001-01-01 00:00:00.000001+00:00:00",
      "9999-12-31 23:59:59.123456789",
      "2024-06-01 10:00:00.100000+0000",
      "2024-06-01 10:00:00.000000+00",
    ];
    for (const text of texts) expect(canonicalTimestampText(text), text).toBe(general(text));
  });

  it("agrees with the general path on random UTC timestamps", () => {
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const pad = (n: number, width = 2) => String(n).padStart(width, "0");
    for (let i = 0; i < 5_000; i++) {
      const fraction = next(3) === 0 ? "" : `.${pad(next(1_000_000), 6).slice(0, 1 + next(6))}`;
      const zone = ["", "Z", "+00", "+00:00"][next(4)];
      const text = `${pad(next(10_000), 4)}-${pad(1 + next(12))}-${pad(1 + next(31))} ${pad(next(24))}:${pad(next(60))}:${pad(next(60))}${fraction}${zone}`;
      expect(canonicalTimestampText(text), text).toBe(general(text));
    }
  });
});
