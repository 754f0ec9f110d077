import { Hono } from "hono";
import { csrf } from "hono/csrf";
import { secureHeaders } from "hono/secure-headers";
import { DEFAULTS } from "../../config/defaults.ts";
import type { AppDeps } from "../deps.ts";
import { toApiError } from "../errors.ts";
import { assetRoutes } from "./assets.ts";
import type { ConsoleData } from "./data.ts";
import { engineConsoleData } from "./engine-data.ts";
import { type ConsoleEnv, requireSession } from "./guard.ts";
import { authRoutes, signOutRoute } from "./routes-auth.ts";
import { observePages } from "./routes-observe.ts";
import { runPages } from "./routes-runs.ts";
import { syncPages } from "./routes-syncs.ts";
import { Sessions } from "./session.ts";
import { BASE } from "./views/layout.ts";
import { errorPage } from "./views/messages.ts";

export interface ConsoleOptions {
  /** What the pages read and do; defaults to the engine and state in `deps`. */
  data?: ConsoleData;
  now?: () => number;
}

/**
 * The operator console at /ui: server-rendered pages over `ConsoleData`, signed in with an
 * API token. A strict Content-Security-Policy allows only the console's own script and
 * stylesheet, so even an unescaped value could not run script.
 */
export function consoleApp(deps: AppDeps, options: ConsoleOptions = {}): Hono<ConsoleEnv> {
  const settings = deps.config.server.console;
  const sessionSeconds = Math.floor(DEFAULTS.console.sessionMaxMs / 1000);
  const sessions = new Sessions({
    idleMs: settings.sessionMinutes * 60_000,
    maxMs: DEFAULTS.console.sessionMaxMs,
    now: options.now,
  });
  const data = options.data ?? engineConsoleData(deps);
  const app = new Hono<ConsoleEnv>();

  app.use(
    `${BASE}/*`,
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      referrerPolicy: "same-origin",
      // Whether to pin HTTPS for a whole domain is the operator's call, not the console's.
      strictTransportSecurity: false,
    }),
    async (c, next) => {
      await next();
      if (!c.res.headers.has("cache-control")) c.header("cache-control", "no-store");
    },
    // A cross-site form post is refused before it reaches a route (the CSRF token is the main defence).
    csrf(),
  );
  app.route("/", assetRoutes());
  app.route("/", authRoutes(deps, sessions, sessionSeconds));
  app.use(`${BASE}/*`, requireSession(sessions));
  app.route("/", signOutRoute(sessions));
  app.route("/", syncPages(data));
  app.route("/", runPages(data));
  app.route("/", observePages(data));
  app.all(`${BASE}/*`, (c) =>
    c.html(
      errorPage({
        status: 404,
        title: "Not found",
        message: `There is no console page at ${c.req.path}.`,
        signedIn: true,
        csrf: c.get("session").csrf,
      }),
      404,
    ),
  );

  app.onError((error, c) => {
    const api = toApiError(error);
    if (!api || api.status >= 500) deps.logger.error({ err: error, path: c.req.path }, "console page failed");
    const status = api?.status ?? 500;
    const session = c.get("session");
    return c.html(
      errorPage({
        status,
        title: status === 404 ? "Not found" : status < 500 ? "That did not work" : "Something went wrong",
        message: api?.message ?? "An internal error stopped this page; the service log has the details.",
        signedIn: session !== undefined,
        csrf: session?.csrf,
      }),
      status,
    );
  });
  return app;
}
