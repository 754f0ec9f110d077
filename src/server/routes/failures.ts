import { Hono } from "hono";
import { accepts } from "hono/accepts";
import { failuresCsv } from "../../host/failures-csv.ts";
import type { AppDeps, AppEnv } from "../deps.ts";
import { failureView } from "../present.ts";
import { failuresQuery, PAGE_DEFAULT, syncPath } from "../schemas.ts";
import { decodeCursor, encodeCursor, parse } from "../validate.ts";

/**
 * GET /v1/syncs/{sync}/failures: the retry ledger with the destination's reasons. JSON pages
 * by default; the whole ledger as CSV with `Accept: text/csv` or `?format=csv`, streamed.
 */
export function failureRoutes(deps: AppDeps): Hono<AppEnv> {
  const ledger = deps.stores.ledger;
  const app = new Hono<AppEnv>();

  app.get("/v1/syncs/:sync/failures", (c) => {
    const { sync } = parse(syncPath, c.req.param(), "path");
    c.set("sync", sync);
    const query = parse(failuresQuery, c.req.query(), "query");
    deps.engine.sync(sync);
    const wanted =
      query.format ??
      accepts(c, { header: "Accept", supports: ["application/json", "text/csv"], default: "application/json" });
    if (wanted === "csv" || wanted === "text/csv") {
      c.header("content-type", "text/csv; charset=utf-8");
      c.header("content-disposition", `attachment; filename="${sync}-failures.csv"`);
      return c.body(csvStream(failuresCsv(ledger.all(sync))));
    }
    const limit = query.limit ?? PAGE_DEFAULT;
    const rows = ledger.list(sync, { limit: limit + 1, after: decodeCursor(query.cursor) });
    const page = rows.slice(0, limit);
    const next = rows.length > limit ? encodeCursor(page[page.length - 1]!.key) : null;
    return c.json({ sync, total: ledger.count(sync), failures: page.map(failureView), next });
  });

  return app;
}

/** Pulls lines from the generator about 64 KB at a time, as the client reads. */
export function csvStream(lines: Generator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      let chunk = "";
      for (let next = lines.next(); ; next = lines.next()) {
        if (next.done) {
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += next.value;
        if (chunk.length >= 65_536) break;
      }
      controller.enqueue(encoder.encode(chunk));
    },
    cancel() {
      lines.return(undefined);
    },
  });
}
