import { spawn } from "node:child_process";
import { join } from "node:path";
import { type Collected, collect } from "./collect.ts";

export const BIN = join(import.meta.dirname, "..", "..", "bin", "syncline.js");

export type CliResult = Collected;

/**
 * `syncline` as users run it, in a child process with its output to pipes (not a terminal);
 * asynchronous, so this process can serve a receiver meanwhile.
 */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  return collect(
    spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd }),
  );
}
