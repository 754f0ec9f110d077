import { Hono } from "hono";
import { migrationStatus } from "../../state/database.ts";
import type { AppDeps, AppEnv } from "../deps.ts";

/** /healthz, /readyz, /metrics, /openapi.json and /docs: no token needed. */
export function systemRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let openapi: string | undefined;

  // Liveness: the process answers. Never touches the state, so a busy run cannot fail it.
  app.get("/healthz", (c) => c.json({ status: "ok" }));

  // Readiness: the state is open and migrated, and the service still takes runs.
  app.get("/readyz", (c) => {
    const checks = { state: false, migrations: false, accepting: !deps.engine.draining };
    try {
      checks.state = deps.state.sqlite.open;
      const { applied, expected } = migrationStatus(deps.state.sqlite);
      checks.migrations = applied >= expected;
    } catch {
      // a closed or unreadable state leaves its checks false
    }
    const ready = checks.state && checks.migrations && checks.accepting;
    if (ready) return c.json({ status: "ready", checks });
    const failing = Object.entries(checks)
      .filter(([, ok]) => !ok)
      .map(([name]) => name);
    return c.json(
      { status: "not_ready", checks, error: { code: "not_ready", message: `not ready: ${failing.join(", ")}` } },
      503,
    );
  });

  app.get("/metrics", async (c) => {
    const body = await deps.metrics.render(); // builds the metrics on the first scrape
    c.header("content-type", deps.metrics.contentType);
    return c.body(body);
  });

  // The document (and @valibot/to-json-schema, which builds it) loads on the first request for it.
  app.get("/openapi.json", async (c) => {
    openapi ??= JSON.stringify((await import("../openapi.ts")).openApiDocument());
    c.header("content-type", "application/json; charset=utf-8");
    return c.body(openapi);
  });

  app.get("/docs", async (c) => c.html((await import("../docs-page.ts")).docsPage()));

  return app;
}
