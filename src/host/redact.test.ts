import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { makeRedactor } from "./redact.ts";

describe("redaction", () => {
  it("masks secret values wherever they appear, also JSON-escaped", () => {
    const redact = makeRedactor(['s3cr3t-"quoted"', "token-abc-123"]);
    expect(redact("Authorization: Bearer token-abc-123")).toBe("Authorization: Bearer [redacted]");
    expect(redact(JSON.stringify({ password: 's3cr3t-"quoted"' }))).toBe('{"password":"[redacted]"}');
  });

  it("keeps secrets out of log lines", () => {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", secrets: ["hunter2-secret"], write: (line) => lines.push(line) });
    logger.info({ url: "https://x.test/?key=hunter2-secret" }, "calling with hunter2-secret");
    expect(lines.join("")).not.toContain("hunter2-secret");
    expect(lines.join("")).toContain("[redacted]");
  });
});
