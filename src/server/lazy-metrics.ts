import type { EventEmitter } from "node:events";
import type { Registry } from "prom-client";
import { DEFAULTS } from "../config/defaults.ts";
import type { Metrics, MetricsDeps, ServiceMetrics } from "./metrics.ts";

/** The events `createMetrics` counts, by emitter (lazy-metrics.test.ts checks the list). */
export const ENGINE_EVENTS = ["run:started", "run:finished", "batch", "wait", "sync-logs", "changelog:pruned"] as const;
export const SEQUENCE_EVENTS = ["sequence:started", "sequence:finished"] as const;

type Listener = (...args: unknown[]) => void;
type Pending =
  | { source: EventEmitter; event: string; args: unknown[] }
  | { request: Parameters<Metrics["observeRequest"]> };

export interface LazyMetricsOptions {
  /** Given the registry once it is built (the alerting's metrics join it). */
  attach?: ((registry: Registry) => void) | undefined;
  /** Events kept before the metrics are built; this many builds them without a scrape. */
  maxPending?: number;
}

export interface LazyMetrics extends ServiceMetrics {
  /** Builds the metrics now (the first scrape does), replaying what happened before. */
  load(): Promise<Metrics>;
}

/**
 * The service's Prometheus metrics, with prom-client (and the OpenTelemetry API it requires)
 * loaded at the first scrape instead of before readiness. Until then the events the metrics
 * count are kept in order and replayed into them once built, so the first scrape shows what
 * metrics built at start would. Process metrics (CPU, memory, event loop, GC) are read from
 * the process when built; their GC and event-loop histograms start then.
 */
export function lazyMetrics(deps: MetricsDeps, options: LazyMetricsOptions = {}): LazyMetrics {
  const maxPending = options.maxPending ?? DEFAULTS.server.metricsPendingMax;
  const sources: [EventEmitter, readonly string[]][] = [[deps.engine as EventEmitter, ENGINE_EVENTS]];
  if (deps.sequences) sources.push([deps.sequences as EventEmitter, SEQUENCE_EVENTS]);
  let pending: Pending[] = [];
  let built: Metrics | undefined;
  let loading: Promise<Metrics> | undefined;
  let closed = false;
  const keep = (entry: Pending) => {
    pending.push(entry);
    if (pending.length >= maxPending) void load().catch(() => {}); // a scrape reports the failure
  };
  const recorders = sources.flatMap(([source, events]) =>
    events.map((event) => {
      const record: Listener = (...args) => keep({ source, event, args });
      source.on(event, record);
      return () => source.off(event, record);
    }),
  );
  const stopRecording = () => {
    for (const stop of recorders.splice(0)) stop();
  };

  const build = async (): Promise<Metrics> => {
    const { createMetrics } = await import("./metrics.ts");
    const before = new Map(sources.map(([source, events]) => [source, listenersOf(source, events)]));
    const metrics = createMetrics(deps);
    stopRecording();
    try {
      replay(pending, sources, before, metrics);
      options.attach?.(metrics.registry);
    } catch (error) {
      metrics.close(); // a later scrape builds them again rather than listening twice
      throw error;
    } finally {
      pending = [];
    }
    built = metrics;
    if (closed) metrics.close();
    return metrics;
  };
  const load = () => {
    loading ??= build().catch((error: unknown) => {
      loading = undefined; // the next scrape tries again
      throw error;
    });
    return loading;
  };

  return {
    get contentType() {
      return built?.contentType ?? "text/plain; charset=utf-8";
    },
    load,
    render: async () => (await load()).render(),
    observeRequest(labels, seconds) {
      if (built) built.observeRequest(labels, seconds);
      else if (!closed) keep({ request: [labels, seconds] });
    },
    close() {
      closed = true;
      stopRecording();
      pending = [];
      built?.close();
    },
  };
}

function listenersOf(source: EventEmitter, events: readonly string[]): Map<string, Listener[]> {
  return new Map(events.map((event) => [event, source.listeners(event) as Listener[]]));
}

/** Each kept event, in order, to the listeners the new metrics added (not to anyone else). */
function replay(
  pending: readonly Pending[],
  sources: readonly [EventEmitter, readonly string[]][],
  before: Map<EventEmitter, Map<string, Listener[]>>,
  metrics: Metrics,
): void {
  const added = new Map(
    sources.map(([source, events]) => {
      const old = before.get(source)!;
      const fresh = listenersOf(source, events);
      for (const [event, list] of fresh)
        fresh.set(
          event,
          list.filter((listener) => !old.get(event)!.includes(listener)),
        );
      return [source, fresh] as const;
    }),
  );
  for (const entry of pending) {
    if ("request" in entry) metrics.observeRequest(...entry.request);
    else for (const listener of added.get(entry.source)!.get(entry.event)!) listener(...entry.args);
  }
}
