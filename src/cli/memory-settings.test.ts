import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DENO } from "../../test/support/deno.ts";

/** A process that applies the memory settings the way bin/syncline.js does, then reports. */
const SCRIPT = `
import { applyMemorySettings, memorySettings } from ${JSON.stringify(join(import.meta.dirname, "memory-settings.ts"))};
const before = process.pid;
applyMemorySettings(process.env.TEST_COMMAND);
console.log(JSON.stringify({ pid: process.pid, before, v8: process.env.DENO_V8_FLAGS ?? null, execArgv: process.execArgv, malloc: process.env.MALLOC_ARENA_MAX ?? null, ...memorySettings() }));
`;

interface Report {
  pid: number;
  v8: string | null;
  execArgv: string[];
  malloc: string | null;
  state: string;
  detail: string;
}

function report(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): Report & { childPid: number } {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["DENO_V8_FLAGS", "NODE_OPTIONS", "MALLOC_ARENA_MAX", "SYNCLINE_NODE_FLAGS"]) delete clean[name];
  Object.assign(clean, env);
  const result = spawnSync(command, args, { encoding: "utf8", env: clean, input });
  if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr}`);
  return { ...(JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Report), childPid: result.pid! };
}

describe("memory settings", () => {
  it("Node: restarts in place with the V8 flags and MALLOC_ARENA_MAX", () => {
    const result = report(process.execPath, ["--input-type=module", "-e", SCRIPT]);
    expect(result.pid).toBe(result.childPid);
    expect(result.execArgv).toEqual(expect.arrayContaining(["--max-semi-space-size=16", "--heap-growing-percent=20"]));
    expect(result.malloc).toBe("2");
    expect(result.state).toBe("applied");
  });

  it("Node: the health probe runs as started, without restarting", () => {
    const result = report(process.execPath, ["--input-type=module", "-e", SCRIPT], { TEST_COMMAND: "health" });
    expect(result.execArgv).not.toContain("--max-semi-space-size=16");
    expect(result.malloc).toBeNull();
    expect(result.state).toBe("missing");
  });

  it("Deno: re-executes itself in place with the flags in DENO_V8_FLAGS (Deno has no process.execve)", () => {
    const result = report(DENO, ["eval", SCRIPT]);
    expect(result.pid).toBe(result.childPid); // the same process: a supervisor's signals still reach it
    expect(result.v8).toBe("--max-semi-space-size=16,--heap-growing-percent=20");
    expect(result.malloc).toBe("2");
    expect(result.state).toBe("applied");
  });

  it("Deno: keeps the user's own V8 flags and adds only what is missing", () => {
    const result = report(DENO, ["eval", SCRIPT], { DENO_V8_FLAGS: "--max-semi-space-size=32" });
    expect(result.v8).toBe("--max-semi-space-size=32,--heap-growing-percent=20");
    expect(result.state).toBe("applied");
  });

  it("Deno without --allow-all: says they are not applied, why, and how to apply them", () => {
    const result = report(DENO, ["run", "--allow-read", "--allow-env", "-"], {}, SCRIPT);
    expect(result.state).toBe("missing");
    expect(result.detail).toContain("needs Deno's --allow-all (-A)");
    expect(result.detail).toContain(
      "start Deno with DENO_V8_FLAGS=--max-semi-space-size=16,--heap-growing-percent=20 MALLOC_ARENA_MAX=2",
    );
  });

  it("SYNCLINE_NODE_FLAGS=off: runs with the runtime's defaults and says so", () => {
    const result = report(process.execPath, ["--input-type=module", "-e", SCRIPT], { SYNCLINE_NODE_FLAGS: "off" });
    expect(result.execArgv).not.toContain("--max-semi-space-size=16");
    expect(result.state).toBe("off");
  });
});
