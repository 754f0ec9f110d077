import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { FINISHED } from "../../state/run-store.ts";
import { ApiError } from "../errors.ts";
import type { ConsoleData, RunEvent } from "./data.ts";
import type { ConsoleEnv } from "./guard.ts";
import { checked, runParam, syncParam } from "./inputs.ts";
import { BASE, href } from "./views/layout.ts";
import { confirmPage } from "./views/messages.ts";
import { runPage } from "./views/run.ts";

const RUN_FAILURES = 20;
/** Progress events are sent at most this often; the last one before the end is never dropped. */
const PROGRESS_EVERY_MS = 250;
const KEEPALIVE_MS = 15_000;

/** Trigger (with a confirmation step for full resyncs and forced deletes), a run's page, cancel, live events. */
export function runPages(data: ConsoleData): Hono<ConsoleEnv> {
  const app = new Hono<ConsoleEnv>();

  app.post(`${BASE}/syncs/:sync/runs`, async (c) => {
    const name = syncParam(c);
    c.set("sync", name);
    const form = await c.req.parseBody();
    const options = { fullResync: checked(form, "fullResync"), forceDeletes: checked(form, "forceDeletes") };
    const sync = data.sync(name);
    if ((options.fullResync || options.forceDeletes) && form.confirm !== "yes") {
      return c.html(confirmPage(confirmation(name, sync.mode, options), c.get("session").csrf));
    }
    const { run } = data.trigger(name, options);
    c.set("runId", run.id);
    return c.redirect(href("runs", run.id), 303);
  });

  app.get(`${BASE}/runs/:id`, (c) => {
    const id = runParam(c);
    const run = data.run(id);
    if (!run) throw new ApiError(404, "unknown_run", `no run with id ${id}`);
    c.set("runId", id);
    c.set("sync", run.sync);
    return c.html(
      runPage({
        run,
        failures: data.failures(run.sync, { runId: id }, { limit: RUN_FAILURES }),
        records: data.runRecords(id),
        mirror: data.sync(run.sync).mode === "mirror",
        csrf: c.get("session").csrf,
      }),
    );
  });

  app.post(`${BASE}/runs/:id/cancel`, (c) => {
    const id = runParam(c);
    c.set("runId", id);
    data.cancel(id);
    return c.redirect(href("runs", id), 303);
  });

  app.get(`${BASE}/runs/:id/events`, (c) => {
    const id = runParam(c);
    const run = data.run(id);
    if (!run) throw new ApiError(404, "unknown_run", `no run with id ${id}`);
    return streamSSE(c, async (stream) => {
      // Writes are chained so they go out in order, and the stream closes only after the last.
      let writing = Promise.resolve();
      const write = (event: RunEvent) => {
        writing = writing.then(() => stream.writeSSE({ event: event.type, data: JSON.stringify(eventData(event)) }));
      };
      if (FINISHED.includes(run.status)) {
        write({ type: "finished", run });
        return writing;
      }
      await new Promise<void>((resolve) => {
        let sentAt = 0;
        let pending: RunEvent | undefined;
        let timer: ReturnType<typeof setTimeout> | undefined;
        const flush = () => {
          timer = undefined;
          if (!pending) return;
          sentAt = Date.now();
          write(pending);
          pending = undefined;
        };
        const stop = data.watch(id, (event) => {
          if (event.type === "finished") {
            clearTimeout(timer);
            flush();
            write(event);
            finish();
            return;
          }
          pending = event;
          timer ??= setTimeout(flush, Math.max(0, PROGRESS_EVERY_MS - (Date.now() - sentAt)));
        });
        const keepalive = setInterval(() => {
          writing = writing.then(() => stream.write(": keepalive\n\n")).then(() => undefined);
        }, KEEPALIVE_MS);
        const finish = () => {
          stop();
          clearInterval(keepalive);
          clearTimeout(timer);
          resolve();
        };
        stream.onAbort(finish);
        c.req.raw.signal.addEventListener("abort", finish, { once: true });
        // The run may have ended between reading it and subscribing.
        const now = data.run(id);
        if (now && FINISHED.includes(now.status)) {
          write({ type: "finished", run: now });
          finish();
        }
      });
      await writing;
    });
  });

  return app;
}

function eventData(event: RunEvent) {
  return event.type === "progress"
    ? { phase: event.phase, counts: event.counts }
    : { status: event.run.status, counts: event.run.counts };
}

function confirmation(sync: string, mode: string, options: { fullResync: boolean; forceDeletes: boolean }) {
  const parts: string[] = [];
  if (options.fullResync) {
    parts.push(
      "A full resync sends every record of the model to the destination again, as if it had never been delivered. It uses API calls in proportion to the model's size.",
    );
  }
  if (options.forceDeletes) {
    parts.push(
      mode === "mirror"
        ? "Forced deletes let this run delete every record that left the model from the destination, however many that is: the delete guard will not stop it. Run a plan preview first if unsure."
        : "Forced deletes have no effect: this sync is not in mirror mode, so it deletes nothing.",
    );
  }
  const what = [options.fullResync && "full resync", options.forceDeletes && "forced deletes"]
    .filter(Boolean)
    .join(" and ");
  return {
    title: `Run ${sync} with ${what}?`,
    explanation: parts.join(" "),
    action: href("syncs", sync, "runs"),
    fields: {
      ...(options.fullResync ? { fullResync: "true" } : {}),
      ...(options.forceDeletes ? { forceDeletes: "true" } : {}),
    },
    button: `Yes, run with ${what}`,
    back: href("syncs", sync),
  };
}
