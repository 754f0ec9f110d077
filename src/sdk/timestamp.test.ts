import { describe, expect, it } from "vitest";
import { canonicalTimestampText, timestampMicros } from "./timestamp.ts";

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
