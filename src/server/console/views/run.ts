import { html } from "hono/html";
import { emptyCounts } from "../../../engine/index.ts";
import type { RunView } from "../../schemas.ts";
import type { Available, ChangelogEntry, FailurePage } from "../data.ts";
import { csrfField, type Html, href, page, withQuery } from "./layout.ts";
import { countsTable, duration, number, status, time, unavailable } from "./parts.ts";
import { changelogTable } from "./record.ts";
import { failureTable } from "./sync.ts";

export interface RunPageInput {
  run: RunView;
  failures: FailurePage;
  records: Available<ChangelogEntry[]>;
  /** Mirror mode: whether a forced run can be offered when the delete guard refused. */
  mirror: boolean;
  csrf: string;
}

export function runPage(input: RunPageInput): Html {
  const { run, csrf } = input;
  const live = run.status === "running" || run.status === "queued";
  return page(
    { title: `Run ${run.id}`, csrf, nav: "syncs" },
    html`<p class="crumbs"><a href="${href()}">Syncs</a> / <a href="${href("syncs", run.sync)}">${run.sync}</a> /</p>
<h1>Run <code>${run.id}</code></h1>
<div class="run-head"${live ? html` data-live-run data-events="${href("runs", run.id, "events")}"` : ""}>
  <p class="lead">Status <span data-run-status>${status(run.status)}</span>
  · ${run.trigger}${run.options.fullResync ? " · full resync" : ""}${run.options.forceDeletes ? " · forced deletes" : ""}</p>
  <dl class="facts">
    <div><dt>Created</dt><dd>${time(run.createdAt)}</dd></div>
    <div><dt>Started</dt><dd>${time(run.startedAt)}</dd></div>
    <div><dt>Finished</dt><dd data-run-finished>${time(run.finishedAt)}</dd></div>
    <div><dt>Duration</dt><dd>${duration(run.durationMs)}</dd></div>
  </dl>
  ${live ? progress(run, csrf) : ""}
</div>
${run.error ? errorPanel(run, input.mirror, csrf) : ""}
${countsTable(run.counts ?? (live ? emptyCounts() : null), "Records by outcome and kind of change")}
${run.invalid.count > 0 ? invalid(run) : ""}
<section aria-labelledby="failed-h">
  <h2 id="failed-h">Failures from this run</h2>
  <p class="muted">Records whose last failed attempt was in this run and that are still in the retry ledger.</p>
  ${input.failures.matching === 0 ? html`<p class="muted">None.</p>` : failureTable(run.sync, input.failures.failures)}
  ${
    input.failures.matching > input.failures.failures.length
      ? html`<p><a href="${withQuery(href("syncs", run.sync), { run: run.id })}#failures">All ${number(input.failures.matching)} failures of this run</a></p>`
      : ""
  }
</section>
<section aria-labelledby="records-h">
  <h2 id="records-h">Records sent</h2>
  ${unavailable(input.records, (rows) => changelogTable(rows, "Every operation of this run"))}
</section>`,
  );
}

function progress(run: RunView, csrf: string): Html {
  return html`<div class="live">
  <p role="status" aria-live="polite" data-run-progress>${run.status === "queued" ? "Waiting for the run before it to finish…" : "Running…"}</p>
  <progress data-run-bar max="1" aria-label="Records sent"></progress>
  <form method="post" action="${href("runs", run.id, "cancel")}" data-confirm="Cancel run ${run.id}? Batches already sent stay delivered and committed.">
    ${csrfField(csrf)}
    <button type="submit" class="danger">Cancel run</button>
  </form>
</div>`;
}

function errorPanel(run: RunView, mirror: boolean, csrf: string): Html {
  const error = run.error!;
  if (error.code === "delete_guard") {
    return html`<section class="alert" aria-labelledby="error-h">
  <h2 id="error-h">The delete guard stopped this run</h2>
  <p>${error.message}</p>
  <p>In mirror mode Syncline deletes from the destination the records that left the model. This run would have
  deleted more than the guard allows, so it sent nothing. A model that returns fewer rows than expected (a broken
  join, an empty upstream table) looks exactly like this: check the model first, and see which records would be
  deleted in a <a href="${href("syncs", run.sync, "preview")}">plan preview</a>.</p>
  ${
    mirror
      ? html`<form method="post" action="${href("syncs", run.sync, "runs")}">
    ${csrfField(csrf)}<input type="hidden" name="forceDeletes" value="true">
    <button type="submit" class="danger">Run again with forced deletes…</button>
  </form>`
      : ""
  }
</section>`;
  }
  return html`<section class="alert" aria-labelledby="error-h">
  <h2 id="error-h">Why it ${run.status === "cancelled" ? "stopped" : "failed"}</h2>
  <p><code>${error.code}</code></p>
  <p class="reason">${error.message}</p>
</section>`;
}

function invalid(run: RunView): Html {
  return html`<section aria-labelledby="invalid-h">
  <h2 id="invalid-h">Invalid rows <span class="count">${number(run.invalid.count)}</span></h2>
  <p class="muted">Rows with a null or duplicate primary key are never sent. Examples:</p>
  <ul>${run.invalid.samples.map((s) => html`<li><code>${s.key ?? "null"}</code>: ${s.reason}</li>`)}</ul>
</section>`;
}
