import type { KyInstance } from "ky";
import type { Redact } from "../ledger/redact-error.ts";
import { activeContext, CLIENT, ERROR, failSpan, recordingSpan, tracer } from "../shared/tracing.ts";

/**
 * The destination's ky instance with a `destination.call` span around each HTTP request, a
 * child of the batch being delivered. Untraced (no recording span active), the instance is
 * returned as it is: no wrapper on the request path.
 */
export function tracedHttp(
  http: KyInstance,
  destination: string,
  redact: Redact,
  /** What sends the request under the span (the API inspector's recording fetch, if any). */
  inner: typeof fetch = (input, init) => fetch(input, init),
): KyInstance {
  const traces = tracer();
  const parent = activeContext();
  if (!traces || !recordingSpan()) return http;
  return http.extend({
    fetch: async (input, init) => {
      const request = input instanceof Request ? input : undefined;
      const method = (init?.method ?? request?.method ?? "GET").toUpperCase();
      const url = safeUrl(request?.url ?? String(input), redact);
      const started = performance.now();
      const span = traces.startSpan(
        "destination.call",
        {
          kind: CLIENT,
          attributes: {
            "syncline.destination": destination,
            "http.request.method": method,
            "url.full": url,
            "server.address": URL.parse(url)?.hostname ?? "",
          },
        },
        parent,
      );
      try {
        const response = await inner(input, init);
        span.setAttribute("http.response.status_code", response.status);
        if (response.status >= 400) {
          span.setAttribute("error.type", String(response.status));
          span.setStatus({ code: ERROR, message: `HTTP ${response.status}` });
        }
        return response;
      } catch (error) {
        failSpan(span, error, redact);
        throw error;
      } finally {
        span.setAttribute("syncline.duration_ms", Math.round(performance.now() - started));
        span.end();
      }
    },
  });
}

/**
 * The URL as a span may carry it: no user or password, every query value replaced (an API key
 * often travels there), and the configured secrets masked in what is left (a token in a path).
 */
export function safeUrl(raw: string, redact: Redact): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redact(raw);
  }
  url.username = "";
  url.password = "";
  for (const key of new Set(url.searchParams.keys())) url.searchParams.set(key, "REDACTED");
  return redact(url.toString());
}
