import { spawn } from "node:child_process";
import { cpSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type runSchema, triggerResponse } from "../../src/server/schemas.ts";
import { expectNextRunSendsTheRest } from "../server/next-run.ts";
import { Receiver, ServiceProcess, serviceDir } from "../server/process.ts";
import { collect } from "../support/collect.ts";
import { DENO } from "../support/deno.ts";
import { installPacked, type PackedApp } from "../support/packed.ts";

/**
 * Deno 2 runs what users install: the packed tarball in an empty app, started as the README
 * says (`deno run -A npm:syncline …`). The quick start, then SIGTERM in the middle of a run,
 * for the service and for `syncline run`.
 */
const SYNCLINE = [DENO, "run", "-A", "npm:syncline"];
const TOKEN = "deno-e2e-token-0123456789abcdef";
const ROWS = 600;

type Run = v.InferOutput<typeof runSchema>;

let packed: PackedApp;
let receiver: Receiver;
const services: ServiceProcess[] = [];
const dirs: Array<{ remove(): void }> = [];

beforeAll(async () => {
  packed = await installPacked();
  receiver = await new Receiver().start();
}, 600_000);

afterAll(async () => {
  for (const service of services) await service.stop("SIGKILL");
  await receiver?.close();
  for (const dir of dirs) dir.remove();
  packed?.remove();
});

/** `syncline` under Deno in the app folder, without blocking this process (it serves the receiver). */
function syncline(args: string[]) {
  const [command, ...rest] = SYNCLINE;
  const child = spawn(command!, [...rest, ...args], { cwd: packed.app, stdio: ["ignore", "pipe", "pipe"] });
  return { child, done: collect(child) };
}

async function until(ok: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await ok())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("Deno 2, from the npm package", () => {
  it("runs the quick start: the first run sends all 910 contacts, the next one nothing", async () => {
    const quickstart = join(packed.app, "quickstart");
    cpSync(join(packed.app, "node_modules", "syncline", "examples", "quickstart"), quickstart, { recursive: true });
    const config = join(quickstart, "syncline.yaml");
    const { destinations } = parse(readFileSync(config, "utf8")) as { destinations: { crm: { path: string } } };
    const out = join(resolve(dirname(config), destinations.crm.path), "contacts.jsonl");

    const first = await syncline(["run", "contacts", "--config", config, "--json"]).done;
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const run = JSON.parse(first.stdout) as Run;
    expect(run.status).toBe("succeeded");
    expect(run.counts?.succeeded.added).toBe(910);
    expect(readFileSync(out, "utf8").trim().split("\n")).toHaveLength(910);

    const again = JSON.parse((await syncline(["run", "contacts", "--config", config, "--json"]).done).stdout) as Run;
    expect(again.counts?.unchanged).toBe(910);
    expect(again.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });

    const check = await syncline(["check", "--config", config]).done;
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/│ runtime +│ Deno 2\.\d+\.\d+/);
    expect(check.stdout).toMatch(/│ memory settings +│ applied /);
  });

  it("serve: SIGTERM mid-run commits the batches in flight, marks the run interrupted, exits 0; the next run sends the rest", async () => {
    const dir = serviceDir({ receiverUrl: receiver.url, rows: ROWS, token: TOKEN, maxRecords: 20, concurrency: 2 });
    dirs.push(dir);
    receiver.accepted.clear();
    receiver.delayMs = 150;
    const runtime = { command: SYNCLINE, cwd: packed.app };
    const first = await new ServiceProcess(dir.configPath, TOKEN, runtime).start();
    services.push(first);
    expect(first.logs.find((line) => line.msg === "ready")?.runtime).toMatch(/^deno 2\./);
    const { id } = v.parse(
      triggerResponse,
      await (await first.fetch("/v1/syncs/people/runs", { method: "POST" })).json(),
    );
    await first.runUntil<Run>(id, (run) => (run.counts?.succeeded.added ?? 0) >= 60);

    expect(await first.stop("SIGTERM")).toBe(0);
    expect(first.stderr.join("\n")).not.toContain("again during shutdown");
    expect(first.logs.map((line) => line.msg).at(-1)).toBe("stopped");
    const receivedAtStop = receiver.accepted.size;

    receiver.delayMs = 0;
    const second = await new ServiceProcess(dir.configPath, TOKEN, runtime).start();
    services.push(second);
    const interrupted = await second.json<Run>(`/v1/runs/${id}`);
    expect(interrupted.status).toBe("interrupted");
    const committed = interrupted.counts!.succeeded.added;
    expect(committed).toBeLessThan(ROWS);
    expect(committed).toBe(receivedAtStop); // every batch in flight at SIGTERM finished and committed
    await expectNextRunSendsTheRest(second, receiver, ROWS, committed);
    expect(await second.stop("SIGTERM")).toBe(0);
  });

  it("syncline run: SIGTERM mid-run commits the batches in flight and ends the run interrupted; the next run sends the rest", async () => {
    const dir = serviceDir({ receiverUrl: receiver.url, rows: ROWS, token: TOKEN, maxRecords: 20, concurrency: 2 });
    dirs.push(dir);
    receiver.accepted.clear();
    receiver.delayMs = 150;
    const first = syncline(["run", "people", "--config", dir.configPath, "--json"]);
    let signalled = false;
    const exitedEarly = first.done.then(({ code, stderr }) => {
      if (!signalled) throw new Error(`syncline run exited (${code}) before SIGTERM: ${stderr}`);
    });
    await Promise.race([until(() => receiver.accepted.size >= 60), exitedEarly]);
    signalled = true;
    first.child.kill("SIGTERM");
    const stopped = await first.done;
    expect(stopped.stderr).toContain("stopping at the next batch boundary");
    expect(stopped.stderr).not.toContain("again during shutdown");
    expect(stopped.code).toBe(1); // the run did not finish
    const interrupted = JSON.parse(stopped.stdout) as Run;
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.counts?.succeeded.added).toBe(receiver.accepted.size);

    receiver.delayMs = 0;
    const next = await syncline(["run", "people", "--config", dir.configPath, "--json"]).done;
    expect(next.code).toBe(0);
    expect((JSON.parse(next.stdout) as Run).counts?.planned.added).toBe(ROWS - interrupted.counts!.succeeded.added);
    expect(receiver.accepted.size).toBe(ROWS);
  });
});
