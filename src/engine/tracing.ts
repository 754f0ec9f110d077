import { type Attributes, type Context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { Redact } from "./redact-error.ts";

/**
 * The engine's only tie to tracing: the OpenTelemetry API, which is a no-op until a host
 * registers a tracer provider (src/host/tracing.ts does when the OTEL_* variables ask for it).
 * Without one, every span below is a shared non-recording span: no allocation per record, no
 * export, no SDK loaded.
 */
export const TRACER_NAME = "syncline";

export function tracer() {
  return trace.getTracer(TRACER_NAME);
}

/** Runs `fn` in a new active span (a child of the active one), ending it however `fn` ends. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  redact: Redact,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      failSpan(span, error, redact);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Marks a span failed. The message is masked like every text the engine keeps (a destination's
 * words may echo a credential), and no stack is recorded: the SDK's recordException would copy
 * the raw message in it.
 */
export function failSpan(span: Span, error: unknown, redact: Redact, code?: string): void {
  if (!span.isRecording()) return;
  const message = redact(error instanceof Error ? error.message : String(error));
  const type = code ?? (error as { code?: unknown })?.code ?? (error as Error)?.name ?? "Error";
  span.addEvent("exception", { "exception.type": String(type), "exception.message": message });
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/**
 * A source's stream with a `sync.read` span around its reading: from the first page pulled to
 * the last, a child of `parent` (the run's context). Planning consumes the stream as it diffs,
 * so the read overlaps its sibling `sync.plan`. Untraced, the stream is returned as it is.
 */
export function tracedRead<T extends { readonly length: number }>(
  pages: AsyncIterable<T>,
  attributes: Attributes,
  redact: Redact,
  parent: Context,
): AsyncIterable<T> {
  if (!trace.getSpan(parent)?.isRecording()) return pages;
  return {
    async *[Symbol.asyncIterator]() {
      const span = tracer().startSpan("sync.read", { attributes }, parent);
      let rows = 0;
      try {
        for await (const page of pages) {
          rows += page.length;
          yield page;
        }
      } catch (error) {
        failSpan(span, error, redact);
        throw error;
      } finally {
        span.setAttribute("syncline.rows_read", rows);
        span.end();
      }
    },
  };
}
