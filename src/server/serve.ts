import type { AddressInfo } from "node:net";
import { serve as listen, type ServerType } from "@hono/node-server";
import { DEFAULTS } from "../config/defaults.ts";
import { openSyncline } from "../host/open.ts";
import { onStopSignals } from "../host/stop-signals.ts";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { stateFileError } from "../state/state-error.ts";
import { createApp } from "./app.ts";
import { checkExposure } from "./exposure.ts";
import { lazyMetrics } from "./lazy-metrics.ts";
import { LiveProgress } from "./progress.ts";
import { compactAtRest } from "./rest-compaction.ts";
import { Scheduler } from "./scheduler.ts";
import { SequenceScheduler } from "./sequence-scheduler.ts";
import { appStores } from "./stores.ts";

export interface ServeOptions {
  config: string;
  logLevel?: string | undefined;
  /** Trigger this sync once the service is ready (`syncline serve --run <sync>`). */
  run?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Stops the service like SIGTERM does (for embedding and tests). */
  stop?: AbortSignal;
  /** Whether the process runs with Syncline's V8 flags (src/cli/memory-settings.ts): logged at start. */
  memory?: { state: string; detail: string };
}

/**
 * `syncline serve`: opens the state and engine, serves the API, runs the schedules, and on
 * SIGTERM or SIGINT shuts down gracefully — no new runs (triggers get 503 while the rest
 * drains), batches in flight finish and commit within `server.shutdownGraceMs`, unfinished
 * runs end `interrupted` — then resolves 0.
 */
export async function serve(options: ServeOptions): Promise<number> {
  const env = options.env ?? process.env;
  const syncline = await openSyncline(options.config, {
    env,
    logLevel: options.logLevel,
    alerting: true,
    tracing: true,
  });
  const { config, engine, sequences, state, logger } = syncline;
  const progress = new LiveProgress(engine);
  const stores = appStores(state.sqlite);
  const alerts = syncline.alerts;
  const metrics = lazyMetrics(
    { engine, stores, destinations: config.destinations, sequences, processMetrics: true },
    { attach: alerts && ((registry) => alerts.attachMetrics(registry)) },
  );
  const scheduler = new Scheduler(
    engine,
    [...config.syncs].map(([name, sync]) => [name, sync.schedule] as [string, string | undefined]),
    logger,
  );
  const sequenceScheduler = new SequenceScheduler(sequences, logger, () => engine.draining);
  let server: ServerType;
  try {
    if (options.run) engine.sync(options.run); // an unknown sync fails the start (exit 2)
    checkExposure(config.server);
    const app = createApp({
      engine,
      config,
      state,
      stores,
      logger,
      metrics,
      progress,
      scheduler,
      sequences,
      sequenceScheduler,
    });
    server = await listenOn(app.fetch, config.server.port, config.server.host);
  } catch (error) {
    await syncline.close(0);
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  logger.info(
    {
      url: `http://${config.server.host}:${port}`,
      port,
      startupMs: Math.round(performance.now()),
      syncs: engine.syncNames(),
      sequences: sequences.names(),
      scheduled: [...config.syncs].filter(([, sync]) => sync.schedule).map(([name]) => name),
      tokens: config.server.tokens.length,
      hmac: Boolean(config.server.hmacSecret),
      runtime: process.versions.deno ? `deno ${process.versions.deno}` : `node ${process.version}`,
    },
    "ready",
  );
  if (options.memory?.state === "missing") {
    logger.warn({ detail: options.memory.detail }, "memory settings not applied");
  }
  if (config.server.tokens.length === 0 && !config.server.hmacSecret) {
    logger.warn({}, "no API token configured: every /v1 call will be refused; set SYNCLINE_API_TOKEN");
  }
  scheduler.start();
  sequenceScheduler.start();
  syncline.alerts?.start();
  // The changelog is also pruned after each run; the timer covers a service whose syncs rarely run.
  void engine.pruner.run();
  const pruning = setInterval(() => void engine.pruner.run(), DEFAULTS.changelog.pruneEveryMs);
  pruning.unref();
  const compaction = compactAtRest(engine);
  if (options.run) {
    const { run } = engine.trigger(options.run, { trigger: "startup" });
    logger.info({ sync: options.run, runId: run.id, link: `/v1/runs/${run.id}` }, "run triggered at start");
  }

  const stopping = stopRequested(options.stop);
  const reason = await stopping.reason;
  const started = performance.now();
  const graceMs = config.server.shutdownGraceMs;
  logger.info({ reason, graceMs }, "shutting down: taking no new runs; batches in flight finish and commit");
  scheduler.stop();
  clearInterval(pruning);
  compaction.close();
  sequenceScheduler.stop();
  // The listener stays open while runs drain, so a trigger gets the documented 503 (and
  // /readyz 503) rather than a refused connection; it closes once the engine has stopped.
  // The sequences close after the engine: every member run has ended, so every sequence can record its end.
  let failure = await engine
    .close(graceMs)
    .then(() => sequences.close())
    .then(
      () => undefined,
      (error: unknown) => error,
    );
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  await Promise.all([
    drainConnections(server, closed),
    syncline.alerts?.close(DEFAULTS.alerts.shutdownFlushMs), // the last runs' notifications, bounded
  ]);
  metrics.close();
  progress.close();
  await syncline.tracing?.shutdown(); // the last runs' spans
  try {
    syncline.state.close();
  } catch (error) {
    failure ??= error;
  }
  stopping.release();
  if (failure !== undefined) {
    const error = stateFileError(syncline.state.path, "could not close", failure) ?? failure;
    logger.error({ err: (error as Error).message }, "stopped, but the state file could not be closed cleanly");
    throw error;
  }
  logger.info({ ms: Math.round(performance.now() - started) }, "stopped");
  return 0;
}

function listenOn(fetch: Parameters<typeof listen>[0]["fetch"], port: number, hostname: string): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = listen({ fetch, port, hostname }, () => {
      server.off("error", onError);
      resolve(server);
    });
    const onError = (error: Error) =>
      reject(
        new ConfigurationError(`cannot listen on ${hostname}:${port}: ${error.message}`, {
          code: "listen_failed",
          fix: "set PORT (or server.port) to a free port, or stop what is using it",
          cause: error,
        }),
      );
    server.once("error", onError);
  });
}

/** The first SIGTERM or SIGINT (or the stop signal) starts the shutdown; a second signal forces exit. */
function stopRequested(stop: AbortSignal | undefined): { reason: Promise<string>; release(): void } {
  let resolve!: (reason: string) => void;
  const reason = new Promise<string>((done) => {
    resolve = done;
  });
  const release = onStopSignals(resolve);
  stop?.addEventListener("abort", () => resolve("stop"), { once: true });
  return { reason, release };
}

/**
 * Responses in progress (a `wait` ends when its run does) get to finish; keep-alive
 * connections are closed as soon as they fall idle; whatever is left after a second is cut.
 */
async function drainConnections(server: ServerType, closed: Promise<void>): Promise<void> {
  if (!("closeIdleConnections" in server)) return;
  let done = false;
  void closed.then(() => {
    done = true;
  });
  const deadline = Date.now() + DEFAULTS.server.drainConnectionsMs;
  while (!done && Date.now() < deadline) {
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  if (!done) server.closeAllConnections();
}
