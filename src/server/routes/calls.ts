import { Hono } from "hono";
import { callsQuery, destinationPath } from "../changelog-schemas.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { callView } from "../present-changelog.ts";
import { PAGE_MAX } from "../schemas.ts";
import { parse } from "../validate.ts";

/** GET /v1/destinations/{name}/calls: the API inspector's last calls to a destination, newest first. */
export function callRoutes(deps: AppDeps): Hono<AppEnv> {
  const calls = deps.stores.calls;
  const app = new Hono<AppEnv>();

  app.get("/v1/destinations/:name/calls", (c) => {
    const { name } = parse(destinationPath, c.req.param(), "path");
    const query = parse(callsQuery, c.req.query(), "query");
    const known = destinationNames(deps);
    if (!known.includes(name)) {
      throw new ApiError(
        404,
        "unknown_destination",
        `no destination named "${name}" is used by a sync — known: ${known.join(", ") || "none"}`,
      );
    }
    return c.json({ destination: name, calls: calls.last(name, query.limit ?? PAGE_MAX).map(callView) });
  });

  return app;
}

/** The destinations the configured syncs send to. */
export function destinationNames(deps: AppDeps): string[] {
  return [...new Set([...deps.config.syncs.values()].map((sync) => sync.destination.name))].sort();
}
