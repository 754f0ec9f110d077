import type { ChildProcess } from "node:child_process";

export interface Collected {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** What a child process printed and its exit status, without blocking this process (which may serve its receiver). */
export function collect(child: ChildProcess): Promise<Collected> {
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
}
