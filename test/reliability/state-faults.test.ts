import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Harness, people } from "../support/harness.ts";

let harness: Harness;
afterEach(async () => harness?.close());

/** Another process takes the state file's write lock for `ms` (better-sqlite3 blocks, so it must be another process). */
function holdLock(file: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [
      join(import.meta.dirname, "..", "support", "lock-holder.ts"),
      file,
      String(ms),
    ]);
    child.stdout.once("data", () => resolve());
  });
}

async function converged(h: Harness) {
  expect(h.destination.records).toEqual(await h.model());
}

describe("state file faults", () => {
  it("waits out a short write lock held by another process and succeeds", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 20));
    await holdLock(harness.state.path, 1_000);
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    await converged(harness);
  });

  it("fails the run as transient when the lock outlasts the busy timeout, and loses nothing", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 20));
    await harness.run();
    await harness.sql("UPDATE people SET version = 2 WHERE id <= 5");
    let held = false;
    harness.destination.afterCall = async () => {
      if (held) return;
      held = true;
      await holdLock(harness.state.path, 7_000);
    };
    const run = await harness.run();
    expect(run.status).toBe("failed");
    expect(run.error?.code).toBe("state_busy");
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const next = await harness.run();
    expect(next.status).toBe("succeeded");
    await converged(harness);
  }, 30_000);

  it("reports a read-only state file clearly, and converges once it is writable again", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 10));
    harness.state.sqlite.pragma("query_only = ON");
    const refused = await harness.engine.runNow("people").catch((error: Error) => error);
    harness.state.sqlite.pragma("query_only = OFF");
    expect(String((refused as { error?: { message: string } }).error?.message ?? refused)).toMatch(
      /readonly|read-only|cannot be written/i,
    );
    const run = await harness.run();
    expect(run.status).toBe("succeeded");
    await converged(harness);
  });

  it("coalesces a burst of concurrent triggers into at most one queued run", async () => {
    harness = await new Harness().setup();
    await harness.sql(people(1, 50));
    const triggers = Array.from({ length: 25 }, () => harness.engine.trigger("people", { trigger: "burst" }));
    const ids = new Set(triggers.map((t) => t.run.id));
    expect(ids.size).toBe(2);
    await Promise.all([...ids].map((id) => harness.engine.wait(id)));
    const keys = harness.destination.writes.map((w) => w.key);
    expect(new Set(keys).size).toBe(keys.length);
    await converged(harness);
  });
});
