import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * On a Node older than 22.18, `npm start`, `npm test` and `npm run demo:change` stop at once
 * with the same message (bin/require-node.js), instead of failing somewhere inside.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const MESSAGE =
  /^syncline needs Node\.js 22\.18 or newer \(this is v\d+\.\d+\.\d+\); install Node 24 LTS and try again$/m;

/** A Node older than 22.18 on this machine (Debian's is 20), or undefined. */
function findOldNode(): string | undefined {
  const which = spawnSync("which", ["-a", "node"], { encoding: "utf8" }).stdout.split("\n");
  for (const candidate of [...which, "/usr/bin/node", "/usr/local/bin/node"].filter(Boolean)) {
    try {
      const [major, minor] = execFileSync(candidate, ["-p", "process.versions.node"], { encoding: "utf8" })
        .trim()
        .split(".")
        .map(Number) as [number, number];
      if (major < 22 || (major === 22 && minor < 18)) return candidate;
    } catch {
      // not runnable
    }
  }
  return undefined;
}

const oldNode = findOldNode();
const bin = mkdtempSync(join(tmpdir(), "syncline-old-node-"));
afterAll(() => rmSync(bin, { recursive: true, force: true }));

describe.skipIf(!oldNode && !process.env.CI)("on Node older than 22.18", () => {
  it.each([
    { command: "npm start", args: ["start"] },
    // A config vitest cannot find: should the guard ever let it through, it fails instead of running the suite again.
    { command: "npm test", args: ["test", "--", "--config", "/nonexistent/vitest.config.ts"] },
    { command: "npm run demo:change", args: ["run", "demo:change"] },
  ])("$command fails at once with the same clear message", ({ args }) => {
    if (!oldNode) throw new Error("no Node older than 22.18 on this machine (which -a node, /usr/bin/node)");
    symlinkSync(oldNode, join(bin, "node"), "file");
    try {
      // npm itself runs on the old Node too (its script starts with `env node`), as a user's would.
      const result = spawnSync("npm", args, {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}` },
      });
      expect(result.stderr).toMatch(MESSAGE);
      expect(result.status).not.toBe(0);
      expect(result.stdout + result.stderr).not.toMatch(/ERR_|vitest|RUN /);
    } finally {
      rmSync(join(bin, "node"));
    }
  });
});
