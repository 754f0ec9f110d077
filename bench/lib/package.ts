import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..", "..");

/**
 * The package as npm installs it, without npm: `npm pack` (its prepack builds dist/), the
 * tarball unpacked into `<work>/package`, and the checkout's node_modules (the same dependency
 * versions) beside it. Returns the package's directory; its command is `bin/syncline.js`.
 */
export function unpackedPackage(work: string): string {
  rmSync(work, { recursive: true, force: true });
  const dir = join(work, "package");
  mkdirSync(dir, { recursive: true });
  const name = execFileSync("npm", ["pack", "--pack-destination", work, "--loglevel=error"], {
    cwd: ROOT,
    encoding: "utf8",
  })
    .trim()
    .split("\n")
    .at(-1)!;
  execFileSync("tar", ["-xzf", join(work, name), "-C", dir, "--strip-components=1"]);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}
