import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorSchema, triggerResponse } from "../../src/server/schemas.ts";
import { Receiver, ServiceProcess, serviceDir, sleep } from "../server/process.ts";

/** During the graceful drain the service keeps answering: a trigger gets the documented 503, not a refused connection. */
const TOKEN = "drain-token-0123456789abcdef";

let receiver: Receiver;
let dir: ReturnType<typeof serviceDir>;
let service: ServiceProcess | undefined;

beforeAll(async () => {
  receiver = await new Receiver().start();
  dir = serviceDir({ receiverUrl: receiver.url, rows: 200, token: TOKEN, maxRecords: 10, concurrency: 1 });
});
afterAll(async () => {
  await service?.stop("SIGKILL");
  await receiver?.close();
  dir?.remove();
});

describe("a trigger during shutdown", () => {
  it("gets 503 with Retry-After while batches in flight finish, and /readyz says 503", async () => {
    service = await new ServiceProcess(dir.configPath, TOKEN).start();
    receiver.delayMs = 300;
    const { id } = v.parse(
      triggerResponse,
      await (await service.fetch("/v1/syncs/people/runs", { method: "POST" })).json(),
    );
    await service.runUntil<{ status: string; counts: { succeeded: { added: number } } | null }>(
      id,
      (run) => (run.counts?.succeeded.added ?? 0) >= 10,
    );
    service.child.kill("SIGTERM");
    while (!service.logs.some((line) => String(line.msg).startsWith("shutting down"))) await sleep(5);

    const trigger = await service.fetch("/v1/syncs/people/runs", { method: "POST" });
    expect(trigger.status).toBe(503);
    expect(trigger.headers.get("retry-after")).toBeTruthy();
    expect(v.parse(errorSchema, await trigger.json()).error.code).toBe("shutting_down");
    expect((await service.fetch("/readyz", { token: null })).status).toBe(503);

    expect(await service.exited).toBe(0);
    const messages = service.logs.map((line) => line.msg);
    expect(messages.at(-1)).toBe("stopped");
  }, 60_000);
});
