import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import type { Logger } from "../sdk/logger.ts";

/** A started tracer provider: flush it at the end of a CLI run, shut it down when the service stops. */
export interface Tracing {
  /** Exports the spans ended so far (bounded by the exporter's timeout). */
  flush(): Promise<void>;
  /** Flushes, then stops exporting. Never throws: a collector that is down must not fail a run. */
  shutdown(): Promise<void>;
}

/** The OTLP protocols the traces exporter speaks (OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL). */
export const PROTOCOLS = ["http/protobuf", "http/json"] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/**
 * Whether the OTEL_* variables ask for traces, as the OpenTelemetry SDK reads them: an OTLP
 * endpoint is set, the SDK is not disabled (OTEL_SDK_DISABLED=true) and the traces exporter
 * is not `none`. Anything else they ask for that Syncline cannot do is a configuration error.
 */
export function tracingRequested(env: NodeJS.ProcessEnv): Protocol | undefined {
  const endpoint = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint || env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return undefined;
  const exporter = (env.OTEL_TRACES_EXPORTER || "otlp").trim().toLowerCase();
  if (exporter === "none") return undefined;
  if (exporter !== "otlp") {
    throw new ConfigurationError(`OTEL_TRACES_EXPORTER="${env.OTEL_TRACES_EXPORTER}" is not supported`, {
      code: "otel_invalid",
      fix: 'set OTEL_TRACES_EXPORTER to "otlp" (or "none" to turn traces off)',
    });
  }
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL || env.OTEL_EXPORTER_OTLP_PROTOCOL || "http/protobuf")
    .trim()
    .toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new ConfigurationError(`OTEL_EXPORTER_OTLP_PROTOCOL="${protocol}" is not supported for traces`, {
      code: "otel_invalid",
      fix: `set OTEL_EXPORTER_OTLP_PROTOCOL to ${PROTOCOLS.join(" or ")} (an OpenTelemetry Collector takes both on port 4318)`,
    });
  }
  return protocol as Protocol;
}

/**
 * Starts exporting traces when the OTEL_* variables ask for it. The SDK and the exporter are
 * imported only then, and the engine handed the API (useTracingApi): without them nothing of
 * the SDK is loaded and the engine's tracing helpers return at once.
 */
export async function startTracing(env: NodeJS.ProcessEnv, logger: Logger): Promise<Tracing | undefined> {
  const protocol = tracingRequested(env);
  if (!protocol) return undefined;
  const { startSdk } = await import("./tracing-sdk.ts");
  return startSdk(env, protocol, logger);
}
