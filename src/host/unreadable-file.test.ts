import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "./load-config.ts";

const BIN = join(import.meta.dirname, "..", "..", "bin", "syncline.js");
const root = mkdtempSync(join(tmpdir(), "syncline-unreadable-"));
chmodSync(root, 0o755);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const CONFIG = "sources: {}\ndestinations: {}\nsyncs: {}\n";
const NOBODY = 65534;

/**
 * `syncline check` as a user other than the file's owner, as in a container whose user is not
 * the owner of a bind-mounted file. Root reads every file, so as root the CLI runs as `nobody`
 * (util-linux setpriv, which drops root's capabilities with its uid); as another user, it runs
 * as that user on a file it has made unreadable to itself.
 */
function checkAsOtherUser(file: string): { status: number | null; stderr: string; uid: number } {
  const asRoot = process.getuid?.() === 0;
  const command = asRoot
    ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", process.execPath]
    : [process.execPath];
  const result = spawnSync(command[0]!, [...command.slice(1), BIN, "check", "--config", file], { encoding: "utf8" });
  if (result.error) throw new Error(`cannot run the CLI as another user (${result.error.message}); needs setpriv`);
  return { status: result.status, stderr: result.stderr, uid: asRoot ? NOBODY : process.getuid!() };
}

describe("a config file that cannot be read", () => {
  it("names the file, the user the process runs as, the file's owner and mode, and the fix; exit 2", () => {
    const file = join(root, "mode-0600.yaml");
    writeFileSync(file, CONFIG);
    chmodSync(file, process.getuid?.() === 0 ? 0o600 : 0o000);
    const { status, stderr, uid } = checkAsOtherUser(file);
    expect(status).toBe(2);
    expect(stderr).toContain(`${file}: permission denied — this process runs as uid ${uid} `);
    expect(stderr).toMatch(/the file is owned by uid \d+ gid \d+ with mode 0[06]00/);
    expect(stderr).toContain(`\`chmod a+r ${file}\``);
    expect(stderr).toContain("docker run --user");
  });

  it("names the folder on the path that the user cannot enter", () => {
    const folder = join(root, "closed");
    mkdirSync(folder, { mode: 0o755 });
    const file = join(folder, "syncline.yaml");
    writeFileSync(file, CONFIG, { mode: 0o644 });
    chmodSync(folder, process.getuid?.() === 0 ? 0o700 : 0o600);
    const { status, stderr } = checkAsOtherUser(file);
    chmodSync(folder, 0o755);
    expect(status).toBe(2);
    expect(stderr).toContain(`it cannot enter the folder ${folder}`);
    expect(stderr).toContain(`\`chmod a+x ${folder}\``);
  });

  it("tells a missing file from a folder given as the file", async () => {
    await expect(loadConfig(join(root, "missing.yaml"), {})).rejects.toThrow(
      `${join(root, "missing.yaml")}: the config file does not exist`,
    );
    // What Docker leaves when a -v mount names a host file that does not exist.
    const folder = join(root, "syncline.yaml");
    mkdirSync(folder);
    await expect(loadConfig(folder, {})).rejects.toMatchObject({
      message: `${folder}: is a folder, not the config file`,
      code: "config_unreadable",
    });
  });
});
