import { Hono } from "hono";
import type { AppDeps, AppEnv } from "../deps.ts";
import { iso, runView } from "../present.ts";
import { PAGE_DEFAULT, runsQuery, type SyncSummary, syncPath } from "../schemas.ts";
import { decodeCursor, encodeCursor, parse } from "../validate.ts";

/** GET /v1/syncs, GET /v1/syncs/{sync}, GET /v1/syncs/{sync}/runs. */
export function syncRoutes(deps: AppDeps): Hono<AppEnv> {
  const { engine, config } = deps;
  const ledger = deps.stores.ledger;
  const app = new Hono<AppEnv>();

  app.get("/v1/syncs", (c) => {
    const sizes = ledger.countsBySync();
    return c.json({ syncs: engine.syncNames().map((name) => syncSummary(deps, name, sizes.get(name) ?? 0)) });
  });

  app.get("/v1/syncs/:sync", (c) => {
    const { sync } = parse(syncPath, c.req.param(), "path");
    c.set("sync", sync);
    engine.sync(sync); // 404 for an unknown sync
    return c.json({ ...syncSummary(deps, sync, ledger.count(sync)), config: config.describeSync(sync) });
  });

  app.get("/v1/syncs/:sync/runs", (c) => {
    const { sync } = parse(syncPath, c.req.param(), "path");
    c.set("sync", sync);
    const query = parse(runsQuery, c.req.query(), "query");
    engine.sync(sync);
    const limit = query.limit ?? PAGE_DEFAULT;
    const before = decodeCursor(query.cursor);
    const rows = engine.runs.list(sync, { limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor(page[page.length - 1]!.id) : null;
    return c.json({ runs: page.map((run) => runView(run, deps.progress?.get(run.id))), next });
  });

  return app;
}

/** A sync as the API and the console show it: where it reads and writes, its schedule, its last run. */
export function syncSummary(deps: AppDeps, name: string, ledgerSize: number): SyncSummary {
  const { engine, config } = deps;
  const info = config.syncs.get(name);
  const sync = engine.sync(name);
  const last = engine.runs.last(name);
  const next = info?.schedule ? (deps.scheduler?.nextRun(name) ?? null) : null;
  return {
    name,
    source: { name: sync.source.name, type: info?.source.type ?? "unknown" },
    destination: { name: sync.destination.name, type: info?.destination.type ?? "unknown" },
    object: sync.spec.object,
    mode: sync.spec.mode,
    schedule: info?.schedule ?? null,
    nextRunAt: next ? iso(next.getTime()) : null,
    ledgerSize,
    lastRun: last ? runView(last, deps.progress?.get(last.id)) : null,
    links: { self: `/v1/syncs/${name}`, runs: `/v1/syncs/${name}/runs`, failures: `/v1/syncs/${name}/failures` },
  };
}
