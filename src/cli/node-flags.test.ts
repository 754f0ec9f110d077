import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingNodeEnv, missingNodeFlags, NODE_ENV, NODE_FLAGS } from "./node-flags.ts";

describe("missingNodeFlags", () => {
  it("adds every flag when the user set none", () => {
    expect(missingNodeFlags([], "")).toEqual([...NODE_FLAGS]);
  });

  it("leaves out a V8 option the user already set, on the command line or in NODE_OPTIONS", () => {
    const [first, second] = NODE_FLAGS.map((flag) => flag.split("=")[0]!);
    expect(missingNodeFlags([`${first}=64`], "")).toEqual(NODE_FLAGS.slice(1));
    expect(missingNodeFlags([], `--inspect ${second}=50`)).toEqual(NODE_FLAGS.filter((f) => !f.startsWith(second!)));
  });

  it("does not take a longer option with the same prefix for the user's own", () => {
    const name = NODE_FLAGS[0]!.split("=")[0]!;
    expect(missingNodeFlags([`${name}-extra=1`], "")).toEqual([...NODE_FLAGS]);
  });
});

describe("missingNodeEnv", () => {
  it("adds the variables the user did not set, and keeps the user's own value", () => {
    expect(missingNodeEnv({})).toEqual(NODE_ENV);
    const [name] = Object.keys(NODE_ENV);
    expect(missingNodeEnv({ [name!]: "8" })).toEqual({});
  });
});

describe("the container image (Dockerfile)", () => {
  it("starts Node with every flag and variable, so the command never restarts itself", () => {
    const text = readFileSync(join(import.meta.dirname, "..", "..", "Dockerfile"), "utf8").replace(/\\\n/g, " ");
    const runtime = text.slice(text.lastIndexOf("\nFROM "));
    const entrypoint = JSON.parse(/^ENTRYPOINT\s+(\[.*\])/m.exec(runtime)![1]!) as string[];
    const env = Object.fromEntries(
      [...runtime.matchAll(/^ENV\s+(.*)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/)).map((p) => p.split("=")),
    );
    expect(entrypoint[0]).toBe("node");
    expect(missingNodeFlags(entrypoint.slice(1, entrypoint.indexOf("bin/syncline.js")), "")).toEqual([]);
    expect(missingNodeEnv(env)).toEqual({});
  });
});
