import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import { useTracingApi } from "../engine/index.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import type { Logger } from "../sdk/logger.ts";
import type { Protocol, Tracing } from "./tracing.ts";

/**
 * The OpenTelemetry SDK, set up from the standard variables (loaded by tracing.ts only when
 * they ask for traces): the OTLP exporter reads its endpoint, headers, timeout and compression
 * itself; the resource takes OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (service.name
 * defaults to `syncline`); the sampler is OTEL_TRACES_SAMPLER with OTEL_TRACES_SAMPLER_ARG;
 * the batching is OTEL_BSP_*.
 */
export async function startSdk(env: NodeJS.ProcessEnv, protocol: Protocol, logger: Logger): Promise<Tracing> {
  const sampler = samplerFrom(env);
  // The SDK's own complaints (a collector down, a rejected export) go to the log, as warnings.
  const log = (message: string) => logger.warn({ component: "tracing" }, message);
  const quiet = () => {};
  api.diag.setLogger({ error: log, warn: log, info: quiet, debug: quiet, verbose: quiet }, api.DiagLogLevel.WARN);
  const warn = (error: unknown) => log(`could not export traces: ${(error as Error)?.message ?? String(error)}`);
  const exporter = await exporterFor(protocol);
  const detected = detectResources({ detectors: [envDetector] });
  const resource = defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: "syncline", [ATTR_SERVICE_VERSION]: version() }))
    .merge(detected);
  const provider = new TracerProvider({
    resource,
    sampler,
    spanProcessors: [new BatchSpanProcessor({ exporter, ...batchOptions(env) })],
  });
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  api.trace.setGlobalTracerProvider(provider);
  useTracingApi(api);
  return {
    flush: () => provider.forceFlush().catch(warn),
    shutdown: () => provider.shutdown().catch(warn),
  };
}

async function exporterFor(protocol: Protocol): Promise<SpanExporter> {
  if (protocol === "http/json") {
    const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-http");
    return new OTLPTraceExporter();
  }
  const { OTLPTraceExporter } = await import("@opentelemetry/exporter-trace-otlp-proto");
  return new OTLPTraceExporter();
}

const SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
];

/** OTEL_TRACES_SAMPLER as the specification defines it (default parentbased_always_on). */
export function samplerFrom(env: NodeJS.ProcessEnv): Sampler {
  const name = (env.OTEL_TRACES_SAMPLER || "parentbased_always_on").trim().toLowerCase();
  if (!SAMPLERS.includes(name)) {
    throw new ConfigurationError(`OTEL_TRACES_SAMPLER="${env.OTEL_TRACES_SAMPLER}" is not supported`, {
      code: "otel_invalid",
      fix: `set OTEL_TRACES_SAMPLER to one of ${SAMPLERS.join(", ")}`,
    });
  }
  const root = name.endsWith("always_off")
    ? new AlwaysOffSampler()
    : name.endsWith("traceidratio")
      ? new TraceIdRatioBasedSampler(ratio(env.OTEL_TRACES_SAMPLER_ARG))
      : new AlwaysOnSampler();
  return name.startsWith("parentbased_") ? new ParentBasedSampler({ root }) : root;
}

function ratio(arg: string | undefined): number {
  if (arg === undefined || arg.trim() === "") return 1;
  const value = Number(arg);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    throw new ConfigurationError(`OTEL_TRACES_SAMPLER_ARG="${arg}" is not a ratio`, {
      code: "otel_invalid",
      fix: "set OTEL_TRACES_SAMPLER_ARG to a number from 0 to 1, for example 0.25",
    });
  }
  return value;
}

/** OTEL_BSP_* (the batch span processor's settings), as the specification names them. */
export function batchOptions(env: NodeJS.ProcessEnv) {
  const options: Record<string, number> = {};
  const settings = [
    ["OTEL_BSP_SCHEDULE_DELAY", "scheduledDelayMillis"],
    ["OTEL_BSP_EXPORT_TIMEOUT", "exportTimeoutMillis"],
    ["OTEL_BSP_MAX_QUEUE_SIZE", "maxQueueSize"],
    ["OTEL_BSP_MAX_EXPORT_BATCH_SIZE", "maxExportBatchSize"],
  ] as const;
  for (const [variable, option] of settings) {
    const text = env[variable]?.trim();
    if (!text) continue;
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      throw new ConfigurationError(`${variable}="${env[variable]}" is not a positive whole number`, {
        code: "otel_invalid",
        fix: `set ${variable} to a whole number above 0, or unset it for the default`,
      });
    }
    options[option] = value;
  }
  return options;
}

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}
