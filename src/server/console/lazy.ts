import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import type { ConsoleOptions } from "./app.ts";
import { BASE } from "./base.ts";

/**
 * The console's routes, its pages and their modules loaded on the first request under /ui
 * rather than at start: readiness does not wait for a console nobody may open. The request
 * is handed whole to the console's own app, which answers every path under /ui.
 */
export function lazyConsole(deps: AppDeps, options: ConsoleOptions = {}): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  let loading: Promise<Hono<never>> | undefined;
  const load = () => {
    loading ??= import("./app.ts").then(
      ({ consoleApp }) => consoleApp(deps, options) as unknown as Hono<never>,
      (error: unknown) => {
        loading = undefined; // a failed load is tried again by the next request
        throw error;
      },
    );
    return loading;
  };
  const handle = async (c: { req: { raw: Request }; env: unknown }) => (await load()).fetch(c.req.raw, c.env as never);
  app.all(BASE, handle);
  app.all(`${BASE}/*`, handle);
  return app;
}
