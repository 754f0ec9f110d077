import { describe, expect, it } from "vitest";
import { maskCredentials, safeUrl } from "./inspector.ts";

const redact = (text: string) => text.replaceAll("s3cr3t-value", "[redacted]");

describe("the API inspector's masking", () => {
  it("removes user info, masks credential-named and secret-holding query values, redacts the rest", () => {
    expect(safeUrl("https://user:pw@api.example.com/v1/x?api_key=abc&page=2&q=s3cr3t-value", redact)).toBe(
      "https://api.example.com/v1/x?api_key=***&page=2&q=***",
    );
    expect(safeUrl("https://api.example.com/s3cr3t-value/batch", redact)).toBe(
      "https://api.example.com/[redacted]/batch",
    );
    expect(safeUrl("not a url s3cr3t-value", redact)).toBe("not a url [redacted]");
  });

  it("masks credential fields in JSON and form bodies", () => {
    expect(maskCredentials('{"access_token":"eyJ\\"x","instance_url":"https://x","Password" : "p"}')).toBe(
      '{"access_token":"***","instance_url":"https://x","Password" : "***"}',
    );
    expect(maskCredentials("grant_type=password&client_secret=abc&username=u&password=p")).toBe(
      "grant_type=password&client_secret=***&username=u&password=***",
    );
  });
});
