import { Hono } from "hono";
import { ApiError } from "../errors.ts";
import type { ConsoleData } from "./data.ts";
import type { ConsoleEnv } from "./guard.ts";
import { BASE } from "./views/layout.ts";
import { alertsPage, callsPage, destinationsPage } from "./views/observe.ts";

/** Alerts, destinations and the last calls to each. */
export function observePages(data: ConsoleData): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  app.get(`${BASE}/alerts`, (c) => c.html(alertsPage(data.alerts(), c.get("session").csrf)));

  app.get(`${BASE}/destinations`, (c) => c.html(destinationsPage(data.destinations(), c.get("session").csrf)));

  app.get(`${BASE}/destinations/:name`, (c) => {
    const name = c.req.param("name");
    const destination = data.destinations().find((d) => d.name === name);
    if (!destination) throw new ApiError(404, "unknown_destination", `no destination named "${name}"`);
    return c.html(callsPage(destination, data.destinationCalls(name), c.get("session").csrf));
  });

  return app;
}
