import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");

export interface Command {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command without blocking this process (which may be serving a fake meanwhile). */
export function run(
  command: string,
  args: readonly string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number },
): Promise<Command> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (data: string) => {
      stdout += data;
    });
    child.stderr.setEncoding("utf8").on("data", (data: string) => {
      stderr += data;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 300_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** npm as a user runs it; fails the test with npm's output when it fails. */
export async function npm(cwd: string, ...args: string[]): Promise<string> {
  const result = await run("npm", [...args, "--no-audit", "--no-fund", "--prefer-offline"], {
    cwd,
    // The repository's own test environment must not leak into what users run.
    env: { VITEST: "", NODE_OPTIONS: "", npm_config_loglevel: "warn" },
  });
  if (result.code !== 0) throw new Error(`npm ${args.join(" ")} in ${cwd} exited ${result.code}\n${result.stderr}`);
  return result.stdout;
}

/** Where the tarball of the test run led by process `pid` (vitest's main process) goes. */
export function packDir(pid: number): string {
  return join(tmpdir(), `syncline-pack-${pid}`);
}

/**
 * `npm pack` of this checkout (its prepack runs the build), done once per test run and shared
 * by the test files that need it: the first one packs, the others wait for its tarball. A run
 * is the vitest process all test workers are children of.
 */
export async function packedSyncline(): Promise<string> {
  const dir = packDir(process.ppid);
  const done = join(dir, "tarball");
  try {
    mkdirSync(dir);
  } catch {
    const deadline = Date.now() + 300_000;
    while (!existsSync(done)) {
      if (existsSync(`${done}.failed`)) throw new Error(readFileSync(`${done}.failed`, "utf8"));
      if (Date.now() > deadline) throw new Error(`no tarball in ${dir} after 5 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    return readFileSync(done, "utf8");
  }
  try {
    const out = await npm(ROOT, "pack", "--pack-destination", dir);
    const tarball = join(dir, out.trim().split("\n").at(-1)!);
    writeFileSync(done, tarball);
    return tarball;
  } catch (error) {
    writeFileSync(`${done}.failed`, String(error));
    throw error;
  }
}
