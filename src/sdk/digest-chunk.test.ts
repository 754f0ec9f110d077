import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { HexDigestChunk, md5HexEquals } from "./digest-chunk.ts";

const md5 = (text: string) => createHash("md5").update(text).digest();

describe("HexDigestChunk", () => {
  it("matches a base64url md5 against its hex text, and nothing else", () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.boolean(), (a, b, upper) => {
        const hex = md5(a).toString("hex");
        const chunk = new HexDigestChunk(["id"], ["k"], [upper ? hex.toUpperCase() : hex]);
        expect(chunk.hashIs(0, md5(a).toString("base64url"))).toBe(true);
        expect(chunk.hashIs(0, md5(b).toString("base64url"))).toBe(a === b);
        const page = `xx${md5(a).toString("base64url")}\u001fk`;
        expect(chunk.hashAt(0, page, 2)).toBe(true);
        expect(chunk.hashAt(0, page, 1)).toBe(false);
      }),
    );
    expect(md5HexEquals("short", 0, "00".repeat(16), 0)).toBe(false);
    expect(md5HexEquals(md5("a").toString("base64url"), 0, "zz".repeat(16), 0)).toBe(false);
  });

  it("gives keys as keyOf would: the text of a one-column key, composite ones from their JSON", () => {
    const single = new HexDigestChunk(["id"], ["42", null, ""], ["", "", ""]);
    expect([single.key(0), single.key(1), single.key(2)]).toEqual(["42", undefined, undefined]);
    expect(single.keyRow(0)).toEqual({ id: "42" });
    const composite = new HexDigestChunk(["g", "id"], ['["a",1]', null, '["",2]'], ["", "", ""]);
    expect([composite.key(0), composite.key(1), composite.key(2)]).toEqual(['["a",1]', undefined, undefined]);
    expect(composite.keyRow(0)).toEqual({ g: "a", id: 1 });
  });
});
