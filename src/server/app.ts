import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { DEFAULTS } from "../config/defaults.ts";
import { makeRedactor } from "../host/redact.ts";
import { authenticate } from "./auth.ts";
import { lazyConsole } from "./console/lazy.ts";
import type { AppDeps, AppEnv } from "./deps.ts";
import { ApiError, errorResponse } from "./errors.ts";
import { redactResponses, requestLog } from "./middleware.ts";
import { callRoutes } from "./routes/calls.ts";
import { failureRoutes } from "./routes/failures.ts";
import { recordRoutes } from "./routes/records.ts";
import { runRoutes } from "./routes/runs.ts";
import { sequenceRoutes } from "./routes/sequences.ts";
import { syncRoutes } from "./routes/syncs.ts";
import { systemRoutes } from "./routes/system.ts";

export interface AppOptions {
  bodyLimitBytes: number;
  hmacToleranceMs: number;
  now?: (() => number) | undefined;
}

/** The service's limits as Syncline runs it (tests lower them). */
export const APP_OPTIONS: AppOptions = {
  bodyLimitBytes: DEFAULTS.server.bodyLimitBytes,
  hmacToleranceMs: DEFAULTS.server.hmacToleranceMs,
};

/**
 * The HTTP service, built from injected parts (tests call `app.request()` on it). It holds
 * no engine logic: every route validates its input, calls the engine or the state, and
 * shapes the answer.
 */
export function createApp(deps: AppDeps, options: AppOptions = APP_OPTIONS): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const redact = makeRedactor(deps.config.secrets);
  const limit = options.bodyLimitBytes;

  app.use(requestLog(deps.logger, deps.metrics));
  app.use(redactResponses(redact));
  app.use(async (c, next) => {
    await next();
    // Shutting down: tell keep-alive clients not to reuse the connection.
    if (deps.engine.draining) c.header("connection", "close");
  });
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: limit,
      onError: (c) =>
        errorResponse(c, new ApiError(413, "body_too_large", `body: larger than ${limit} bytes`), deps.logger),
    }),
  );
  app.use(
    "/v1/*",
    authenticate({
      tokens: deps.config.server.tokens,
      hmacSecret: deps.config.server.hmacSecret,
      toleranceMs: options.hmacToleranceMs,
      now: options.now,
    }),
  );

  app.route("/", systemRoutes(deps));
  app.route("/", syncRoutes(deps));
  app.route("/", runRoutes(deps));
  app.route("/", failureRoutes(deps));
  app.route("/", recordRoutes(deps));
  app.route("/", callRoutes(deps));
  app.route("/", sequenceRoutes(deps));
  if (deps.config.server.console.enabled) app.route("/", lazyConsole(deps, { now: options.now }));
  app.get("/", (c) => c.redirect(deps.config.server.console.enabled ? "/ui" : "/docs"));

  app.notFound((c) =>
    errorResponse(c, new ApiError(404, "not_found", `no route for ${c.req.method} ${c.req.path}`), deps.logger),
  );
  app.onError((error, c) => errorResponse(c, error, deps.logger));
  return app;
}
