import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { changelogCsv } from "../../host/changelog-csv.ts";
import { recordHistoryQuery, recordPath, runRecordsQuery } from "../changelog-schemas.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { ApiError } from "../errors.ts";
import { changelogView } from "../present-changelog.ts";
import { PAGE_DEFAULT, runPath, syncPath } from "../schemas.ts";
import { decodeCursor, encodeCursor, parse } from "../validate.ts";
import { csvStream } from "./failures.ts";

/**
 * The record changelog: GET /v1/syncs/{sync}/records/{key} (every run that touched a record,
 * newest first) and GET /v1/runs/{id}/records (a run's records, JSON pages or CSV).
 */
export function recordRoutes(deps: AppDeps): Hono<AppEnv> {
  const changelog = deps.stores.changelog;
  const app = new Hono<AppEnv>();

  // `{[\s\S]+}`: a key may hold any character, "/" (sent as %2F) and newlines included.
  app.get("/v1/syncs/:sync/records/:key{[\\s\\S]+}", (c) => {
    const { sync } = parse(syncPath, c.req.param(), "path");
    c.set("sync", sync);
    const { key } = parse(recordPath, { key: c.req.param("key") }, "path");
    const query = parse(recordHistoryQuery, c.req.query(), "query");
    deps.engine.sync(sync);
    const limit = query.limit ?? PAGE_DEFAULT;
    const rows = changelog.forRecord(sync, key, { limit: limit + 1, before: position(query.cursor) });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor(String(page[page.length - 1]!.id)) : null;
    return c.json({ sync, key, history: page.map(changelogView), next });
  });

  app.get("/v1/runs/:id/records", (c) => {
    const { id } = parse(runPath, c.req.param(), "path");
    const query = parse(runRecordsQuery, c.req.query(), "query");
    const run = deps.engine.runs.get(id);
    if (!run) throw new ApiError(404, "unknown_run", `no run with id ${id}`);
    c.set("runId", id);
    c.set("sync", run.sync);
    const wanted =
      query.format ??
      accepts(c, { header: "Accept", supports: ["application/json", "text/csv"], default: "application/json" });
    if (wanted === "csv" || wanted === "text/csv") {
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${id}-records.csv"`);
      return c.body(csvStream(changelogCsv(changelog.allForRun(id, query.outcome))));
    }
    const limit = query.limit ?? PAGE_DEFAULT;
    const rows = changelog.forRun(id, { outcome: query.outcome, after: position(query.cursor), limit: limit + 1 });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor(String(page[page.length - 1]!.id)) : null;
    return c.json({ runId: id, records: page.map(changelogView), next });
  });

  return app;
}

/** A changelog cursor: the id of the last row of the previous page. */
function position(cursor: string | undefined): number | undefined {
  const text = decodeCursor(cursor);
  if (text === undefined) return undefined;
  if (!/^\d{1,15}$/.test(text)) {
    throw new ApiError(400, "invalid_input", "query.cursor: not a cursor this API returned", { field: "query.cursor" });
  }
  return Number(text);
}
