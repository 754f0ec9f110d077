import { describe, expect, it } from "vitest";
import { safeUrl } from "./traced-http.ts";

const redact = (text: string) => text.replaceAll("s3cr3t", "[REDACTED]");

describe("safeUrl", () => {
  it("drops the user and password, replaces query values and masks secrets in the path", () => {
    expect(safeUrl("https://user:pw@api.example.com/hooks/s3cr3t/in?api_key=abc&page=2", redact)).toBe(
      "https://api.example.com/hooks/[REDACTED]/in?api_key=REDACTED&page=REDACTED",
    );
  });

  it("masks a URL it cannot parse as text", () => {
    expect(safeUrl("not a url s3cr3t", redact)).toBe("not a url [REDACTED]");
  });
});
