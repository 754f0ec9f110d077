import * as api from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { activeContext, bindContext, inSpan, tracedRead, useTracingApi } from "./tracing.ts";

const redact = (text: string) => text.replaceAll("s3cr3t", "[redacted]");

async function* pages() {
  yield [1, 2];
  yield [3];
}

describe("the engine's tracing seam", () => {
  it("untraced, hands back what it is given and runs nothing of OpenTelemetry", async () => {
    const stream = pages();
    expect(tracedRead(stream, {}, redact, activeContext())).toBe(stream);
    const fn = async () => 1;
    expect(bindContext(fn)).toBe(fn);
    expect(await inSpan("sync.plan", {}, redact, async (span) => span)).toBeUndefined();
  });

  it("traced, nests spans, counts the rows read and masks an error's message", async () => {
    const exporter = new InMemorySpanExporter();
    api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    api.trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] }));
    useTracingApi(api);

    await inSpan("sync.run", { "syncline.sync": "people" }, redact, async () => {
      const rows = tracedRead(pages(), { "syncline.source": "wh" }, redact, activeContext());
      for await (const _ of rows);
      await inSpan("sync.batch", {}, redact, async () => {
        throw new Error("refused with key s3cr3t");
      }).catch(() => {});
    });

    const spans = exporter.getFinishedSpans();
    const [read, batch, run] = ["sync.read", "sync.batch", "sync.run"].map(
      (name) => spans.find((s) => s.name === name)!,
    );
    expect(read!.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    expect(batch!.parentSpanContext?.spanId).toBe(run!.spanContext().spanId);
    expect(read!.attributes).toEqual({ "syncline.source": "wh", "syncline.rows_read": 3 });
    expect(batch!.status).toEqual({ code: api.SpanStatusCode.ERROR, message: "refused with key [redacted]" });
    expect(batch!.events[0]!.attributes).toEqual({
      "exception.type": "Error",
      "exception.message": "refused with key [redacted]",
    });
    expect(JSON.stringify(spans.map((s) => [s.attributes, s.events, s.status]))).not.toContain("s3cr3t");
  });
});
