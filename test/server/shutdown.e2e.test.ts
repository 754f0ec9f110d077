import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type runSchema, triggerResponse } from "../../src/server/schemas.ts";
import { expectNextRunSendsTheRest } from "./next-run.ts";
import { Receiver, ServiceProcess, serviceDir } from "./process.ts";

/** SIGTERM in the middle of a run: nothing lost, the run marked, the next run completes the delta. */
const TOKEN = "e2e-token-0123456789abcdef";
const ROWS = 600;

let receiver: Receiver;
let dir: ReturnType<typeof serviceDir>;
const services: ServiceProcess[] = [];

beforeAll(async () => {
  receiver = await new Receiver().start();
  dir = serviceDir({
    receiverUrl: receiver.url,
    rows: ROWS,
    token: TOKEN,
    maxRecords: 20,
    concurrency: 2,
    graceMs: 8000,
  });
});

afterAll(async () => {
  for (const service of services) await service.stop("SIGKILL");
  await receiver?.close();
  dir?.remove();
});

type Run = v.InferOutput<typeof runSchema>;

async function until(ok: () => Promise<boolean>): Promise<void> {
  while (!(await ok())) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("graceful shutdown", () => {
  it("lets batches in flight commit, marks the run interrupted, exits 0; the next run sends the rest", async () => {
    const first = await new ServiceProcess(dir.configPath, TOKEN).start();
    services.push(first);
    receiver.delayMs = 150;
    const response = await first.fetch("/v1/syncs/people/runs", { method: "POST" });
    const { id } = v.parse(triggerResponse, await response.json());
    await first.runUntil<Run>(id, (run) => (run.counts?.succeeded.added ?? 0) >= 60);
    // A wait held open across the shutdown gets the run's final state, not a dropped connection.
    const held = first.fetch(`/v1/syncs/people/runs?wait=true`, { method: "POST" });
    await until(async () => (await first.json<{ runs: Run[] }>("/v1/syncs/people/runs")).runs[0]!.status === "queued");

    const stopping = Date.now();
    expect(await first.stop("SIGTERM")).toBe(0);
    const stopMs = Date.now() - stopping;
    expect(stopMs).toBeLessThan(8000);
    const heldRun = v.parse(triggerResponse, await (await held).json());
    expect(heldRun.status).toBe("interrupted");
    const messages = first.logs.map((line) => line.msg);
    expect(messages).toContain("shutting down: taking no new runs; batches in flight finish and commit");
    expect(messages.at(-1)).toBe("stopped");
    const receivedAtStop = receiver.accepted.size;

    const second = await new ServiceProcess(dir.configPath, TOKEN).start();
    services.push(second);
    receiver.delayMs = 0;
    const interrupted = await second.json<Run>(`/v1/runs/${id}`);
    expect(interrupted.status).toBe("interrupted");
    const committed = interrupted.counts!.succeeded.added;
    expect(committed).toBeGreaterThanOrEqual(60);
    expect(committed).toBeLessThan(ROWS);
    // Every batch in flight at SIGTERM finished and committed: what the receiver took is what was committed.
    expect(receivedAtStop).toBe(committed);

    await expectNextRunSendsTheRest(second, receiver, ROWS, committed);
    expect(await second.stop("SIGTERM")).toBe(0);
    console.log(`e2e: SIGTERM → exit ${stopMs} ms with ${committed}/${ROWS} committed`);
  });
});
