import { createHash } from "node:crypto";
import { Hono } from "hono";
import { consoleClient } from "./assets/client.ts";
import { CONSOLE_CSS } from "./assets/style.ts";
import type { ConsoleEnv } from "./guard.ts";
import { BASE } from "./views/layout.ts";

/** The script as served: the function's own text, called once the page is parsed (`defer`). */
export const CONSOLE_JS = `"use strict";(${String(consoleClient)})();\n`;

const ASSETS: Record<string, { type: string; body: string }> = {
  "console.css": { type: "text/css; charset=utf-8", body: CONSOLE_CSS },
  "console.js": { type: "text/javascript; charset=utf-8", body: CONSOLE_JS },
};

/** Static assets: no session needed, cached by the browser and revalidated by ETag. */
export function assetRoutes(): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();
  const etags = new Map(
    Object.entries(ASSETS).map(([name, asset]) => [
      name,
      `"${createHash("sha256").update(asset.body).digest("base64url").slice(0, 22)}"`,
    ]),
  );
  app.get(`${BASE}/assets/:name`, (c) => {
    const name = c.req.param("name");
    const asset = ASSETS[name];
    if (!asset) return c.text("not found", 404);
    const etag = etags.get(name)!;
    c.header("etag", etag);
    c.header("cache-control", "no-cache");
    if (c.req.header("if-none-match") === etag) return c.body(null, 304);
    c.header("content-type", asset.type);
    return c.body(asset.body);
  });
  return app;
}
