import type * as OpenTelemetry from "@opentelemetry/api";
import type { Attributes, Context, Span } from "@opentelemetry/api";
import type { Redact } from "../ledger/redact-error.ts";

/**
 * The engine's only tie to tracing: the OpenTelemetry API, handed over by the host when the
 * OTEL_* variables ask for traces (src/host/tracing.ts). Until then the engine imports nothing
 * of OpenTelemetry (types only) and every helper below returns at its first line: no module
 * loaded, no span object, no context switch per batch or call.
 */
let api: typeof OpenTelemetry | undefined;

export const TRACER_NAME = "syncline";

/** Called once by the host, after it has registered its tracer provider. */
export function useTracingApi(module: typeof OpenTelemetry): void {
  api = module;
}

export function tracer(): OpenTelemetry.Tracer | undefined {
  return api?.trace.getTracer(TRACER_NAME);
}

/** The active context, to parent spans started later or elsewhere (undefined untraced). */
export function activeContext(): Context | undefined {
  return api?.context.active();
}

/** `fn`, bound to the context active now: whoever calls it later, its spans stay children of this one. */
export function bindContext<F extends (...args: never[]) => unknown>(fn: F): F {
  return api ? api.context.bind(api.context.active(), fn) : fn;
}

/** Runs `fn` in a new active span (a child of the active one), ending it however `fn` ends. */
export async function inSpan<T>(
  name: string,
  attributes: Attributes,
  redact: Redact,
  fn: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  const traces = tracer();
  if (!traces) return fn(undefined);
  return traces.startActiveSpan(name, { attributes }, async (span) => {
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
  span.setStatus({ code: ERROR, message });
}

/** SpanStatusCode.ERROR (a value of the API, which is not imported untraced). */
export const ERROR = 2 satisfies OpenTelemetry.SpanStatusCode.ERROR;
export const CLIENT = 2 satisfies OpenTelemetry.SpanKind.CLIENT;

/**
 * A source's stream with a `sync.read` span around its reading: from the first page pulled to
 * the last, a child of `parent` (the run's context). Planning consumes the stream as it diffs,
 * so the read overlaps its sibling `sync.plan`. Untraced, the stream is returned as it is.
 */
export function tracedRead<T extends { readonly length: number }>(
  pages: AsyncIterable<T>,
  attributes: Attributes,
  redact: Redact,
  parent: Context | undefined,
): AsyncIterable<T> {
  const traces = tracer();
  if (!traces || !parent || !api?.trace.getSpan(parent)?.isRecording()) return pages;
  return {
    async *[Symbol.asyncIterator]() {
      const span = traces.startSpan("sync.read", { attributes }, parent);
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

/** The span active now, if it records (undefined untraced). */
export function recordingSpan(): Span | undefined {
  const span = api?.trace.getActiveSpan();
  return span?.isRecording() ? span : undefined;
}
