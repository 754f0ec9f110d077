import { Hono } from "hono";
import { csvStream } from "../routes/failures.ts";
import { encodeCursor } from "../validate.ts";
import type { ConsoleData } from "./data.ts";
import type { ConsoleEnv } from "./guard.ts";
import { checked, cursor, failureFilter, syncParam, text } from "./inputs.ts";
import { BASE, href } from "./views/layout.ts";
import { overviewPage } from "./views/overview.ts";
import { previewPage } from "./views/preview.ts";
import { recordPage } from "./views/record.ts";
import { syncPage } from "./views/sync.ts";

const RUNS_PAGE = 20;
const FAILURES_PAGE = 50;

/** The overview, a sync's page, its failures as CSV, record lookup and the plan preview. */
export function syncPages(data: ConsoleData): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  app.get(BASE, (c) => c.html(overviewPage(data.overview(), c.get("session").csrf)));
  app.get(`${BASE}/`, (c) => c.redirect(BASE, 301));

  app.get(`${BASE}/syncs/:sync`, (c) => {
    const name = syncParam(c);
    c.set("sync", name);
    const sync = data.sync(name);
    const before = cursor(c, "before");
    const after = cursor(c, "after");
    const filter = failureFilter(c);
    const runs = data.runs(name, { limit: RUNS_PAGE, before });
    const failures = data.failures(name, filter, { limit: FAILURES_PAGE, after });
    return c.html(
      syncPage({
        sync,
        runs: { runs: runs.runs, next: runs.next && encodeCursor(runs.next), paged: before !== undefined },
        failures: {
          ...failures,
          next: failures.next && encodeCursor(failures.next),
          filter,
          paged: after !== undefined,
        },
        csrf: c.get("session").csrf,
      }),
    );
  });

  app.get(`${BASE}/syncs/:sync/failures.csv`, (c) => {
    const name = syncParam(c);
    c.set("sync", name);
    const lines = data.failuresCsv(name);
    c.header("content-type", "text/csv; charset=utf-8");
    c.header("content-disposition", `attachment; filename="${name}-failures.csv"`);
    return c.body(csvStream(lines));
  });

  app.get(`${BASE}/syncs/:sync/records`, (c) => {
    const name = syncParam(c);
    c.set("sync", name);
    const key = text(c, "key");
    if (key === undefined) return c.redirect(`${href("syncs", name)}#lookup-h`, 303);
    return c.html(recordPage(data.record(name, key), c.get("session").csrf));
  });

  app.get(`${BASE}/syncs/:sync/preview`, (c) => {
    const name = syncParam(c);
    data.sync(name); // 404 for an unknown sync
    return c.html(previewPage(name, c.get("session").csrf));
  });

  app.post(`${BASE}/syncs/:sync/preview`, async (c) => {
    const name = syncParam(c);
    c.set("sync", name);
    const form = await c.req.parseBody();
    // The dry run stops when the browser goes away.
    const result = await data.preview(name, { fullResync: checked(form, "fullResync"), signal: c.req.raw.signal });
    return c.html(previewPage(name, c.get("session").csrf, result));
  });

  return app;
}
