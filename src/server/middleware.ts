import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "../sdk/logger.ts";
import type { AppEnv } from "./deps.ts";
import type { ServiceMetrics } from "./metrics.ts";

const QUIET = new Set(["/healthz", "/readyz", "/metrics"]);

/**
 * Every response body passes through the redactor, so no secret value leaves the process
 * whatever put it there. Bodies are redacted line by line as they stream (a JSON body is
 * one line; a CSV export is many), so a large export is never held in memory.
 */
export function redactResponses(redact: (text: string) => string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    const res = c.res;
    if (!res.body) return;
    const headers = new Headers(res.headers);
    headers.delete("content-length");
    const type = headers.get("content-type") ?? "";
    // Bodies the app builds whole are redacted whole; streamed ones (CSV exports) line by line.
    const body = /^(application\/json|text\/plain|text\/html)/.test(type)
      ? redact(await res.text())
      : res.body.pipeThrough(redactLines(redact));
    c.res = undefined;
    c.res = new Response(body, { status: res.status, headers });
  };
}

export function redactLines(redact: (text: string) => string): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let pending = "";
  return new TransformStream({
    transform(chunk, controller) {
      pending += decoder.decode(chunk, { stream: true });
      const cut = pending.lastIndexOf("\n");
      if (cut < 0) return;
      controller.enqueue(encoder.encode(redact(pending.slice(0, cut + 1))));
      pending = pending.slice(cut + 1);
    },
    flush(controller) {
      pending += decoder.decode();
      if (pending) controller.enqueue(encoder.encode(redact(pending)));
    },
  });
}

/** One log line per request (health checks and scrapes at debug), and the latency metric. */
export function requestLog(logger: Logger, metrics: ServiceMetrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const route = c.res.status === 404 && routePath(c, -1) === "*" ? "unmatched" : routePath(c, -1);
    metrics.observeRequest({ method: c.req.method, route, status: c.res.status }, seconds);
    const line = {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(seconds * 10_000) / 10,
      sync: c.get("sync"),
      runId: c.get("runId"),
      sequence: c.get("sequence"),
    };
    if (QUIET.has(c.req.path)) logger.debug(line, "request");
    else logger.info(line, "request");
  };
}
