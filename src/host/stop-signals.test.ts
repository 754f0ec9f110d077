import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DENO } from "../../test/support/deno.ts";

/** A process that reports its stop signals: the first starts the shutdown, a second forces the exit. */
const SCRIPT = `
import { onStopSignals } from ${JSON.stringify(join(import.meta.dirname, "stop-signals.ts"))};
const keepAlive = setInterval(() => {}, 1000);
onStopSignals(
  (signal) => console.log("stop " + signal),
  (signal) => { console.log("again " + signal); clearInterval(keepAlive); process.exit(7); },
);
console.log("ready");
`;

function watch(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  const lines = (): string[] => output.split("\n").filter(Boolean);
  const waiters: Array<() => void> = [];
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const until = async (line: string) => {
    while (!lines().includes(line)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { child, lines, until, exited };
}

describe.each([
  ["node", process.execPath, ["--input-type=module", "-e", SCRIPT]],
  ["deno", DENO, ["eval", SCRIPT]],
])("onStopSignals under %s", (_runtime, command, args) => {
  it("takes one SIGTERM as one stop (no forced exit), and a second signal as the forced exit", async () => {
    const process = watch(command, args);
    await process.until("ready");
    process.child.kill("SIGTERM");
    await process.until("stop SIGTERM");
    // A listener swapped inside the handler would have received this same signal by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(process.lines()).toEqual(["ready", "stop SIGTERM"]);
    process.child.kill("SIGINT");
    expect(await process.exited).toBe(7);
    expect(process.lines()).toEqual(["ready", "stop SIGTERM", "again SIGINT"]);
  });
});
