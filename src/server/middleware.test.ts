import { afterEach, describe, expect, it } from "vitest";
import { AppHarness } from "../../test/server/support.ts";
import { makeRedactor } from "../host/redact.ts";
import { redactLines } from "./middleware.ts";

async function through(chunks: string[], secrets: string[]): Promise<string> {
  const encoder = new TextEncoder();
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(source.pipeThrough(redactLines(makeRedactor(secrets)))).text();
}

describe("redactLines", () => {
  it("redacts a secret split across chunks, line by line", async () => {
    const out = await through(
      ["key,reason\r\n1,token abcd", "efgh-secret rejected\r\n2,o", "k\r\n"],
      ["abcdefgh-secret"],
    );
    expect(out).toBe("key,reason\r\n1,token [redacted] rejected\r\n2,ok\r\n");
  });

  it("keeps multi-byte characters split across chunks", async () => {
    const bytes = new TextEncoder().encode("café — ok\n");
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 4));
        controller.enqueue(bytes.slice(4));
        controller.close();
      },
    });
    expect(await new Response(source.pipeThrough(redactLines(makeRedactor(["zzzz"])))).text()).toBe("café — ok\n");
  });
});

describe("request logs", () => {
  let t: AppHarness;
  afterEach(async () => t?.close());

  it("are JSON lines naming the sync and run, with secrets redacted", async () => {
    t = await new AppHarness().setup();
    const response = await t.post("/v1/syncs/people/runs?wait=true");
    const { id } = (await response.json()) as { id: string };
    await t.request("/healthz", { token: null });
    const lines = t.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = lines.find((line) => line.msg === "request" && line.path === "/v1/syncs/people/runs");
    expect(request).toMatchObject({ method: "POST", status: 200, sync: "people", runId: id });
    const health = lines.find((line) => line.path === "/healthz");
    expect(health?.level).toBe(20); // debug: probes do not flood the log
    for (const line of lines.filter((l) => l.runId === id)) expect(line.sync).toBe("people");
  });
});
