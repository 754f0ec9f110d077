import { html } from "hono/html";
import type { FailureView, RunView } from "../../schemas.ts";
import type { FailureFilter, FailurePage, SyncDetail } from "../data.ts";
import { csrfField, type Html, href, page, withQuery } from "./layout.ts";
import { duration, number, pager, split, status, time } from "./parts.ts";

export const ERROR_CLASSES = ["transient", "permanent", "configuration", "quota"] as const;

export interface SyncPageInput {
  sync: SyncDetail;
  runs: { runs: RunView[]; next: string | null; paged: boolean };
  failures: FailurePage & { filter: FailureFilter; paged: boolean };
  csrf: string;
}

export function syncPage(input: SyncPageInput): Html {
  const { sync, csrf } = input;
  return page(
    { title: sync.name, csrf, nav: "syncs" },
    html`<p class="crumbs"><a href="${href()}">Syncs</a> /</p>
<h1>${sync.name}</h1>
<p class="lead">${sync.source.name} (${sync.source.type}) → ${sync.destination.name} (${sync.destination.type}),
object <code>${sync.object}</code>, mode <strong>${sync.mode}</strong>.
${sync.schedule ? html`Scheduled <code>${sync.schedule}</code>, next run ${time(sync.nextRunAt)}.` : "Runs on demand."}</p>
${sync.active ? html`<p class="notice" role="status">Run <a href="${href("runs", sync.active.id)}">${sync.active.id}</a> is ${sync.active.status}.</p>` : ""}
<div class="cards">
${actions(sync, csrf)}
${lookup(sync.name)}
</div>
${history(sync.name, input.runs)}
${failures(sync.name, input.failures)}
<section aria-labelledby="config-h">
  <h2 id="config-h">Configuration</h2>
  <p class="muted">As loaded from the configuration file, with every secret value redacted.</p>
  <pre class="config">${JSON.stringify(sync.config, null, 2)}</pre>
</section>`,
  );
}

function actions(sync: SyncDetail, csrf: string): Html {
  return html`<section class="card" aria-labelledby="actions-h">
  <h2 id="actions-h">Run</h2>
  <form method="post" action="${href("syncs", sync.name, "runs")}">
    ${csrfField(csrf)}
    <div class="check"><input type="checkbox" id="fullResync" name="fullResync" value="true">
      <label for="fullResync">Full resync: send every record again</label></div>
    ${
      sync.mode === "mirror"
        ? html`<div class="check"><input type="checkbox" id="forceDeletes" name="forceDeletes" value="true">
      <label for="forceDeletes">Force deletes past the delete guard</label></div>`
        : ""
    }
    <button type="submit">Run now</button>
  </form>
  <p><a href="${href("syncs", sync.name, "preview")}">Plan preview (dry run)</a></p>
</section>`;
}

function lookup(sync: string): Html {
  return html`<section class="card" aria-labelledby="lookup-h">
  <h2 id="lookup-h">Find a record</h2>
  <form method="get" action="${href("syncs", sync, "records")}" class="inline">
    <label for="key">Primary key</label>
    <input id="key" name="key" required autocomplete="off" spellcheck="false">
    <button type="submit">Look up</button>
  </form>
</section>`;
}

function history(sync: string, runs: SyncPageInput["runs"]): Html {
  const base = href("syncs", sync);
  return html`<section aria-labelledby="runs-h">
<h2 id="runs-h">Runs</h2>
${
  runs.runs.length === 0
    ? html`<p class="muted">No runs yet.</p>`
    : html`<div class="scroll" role="region" aria-label="Run history" tabindex="0">
<table class="runs">
  <caption class="sr-only">Run history, newest first; counts are added, changed and removed</caption>
  <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Trigger</th><th scope="col">Started</th>
  <th scope="col">Duration</th><th scope="col">Planned</th><th scope="col">Succeeded</th><th scope="col">Failed</th></tr></thead>
  <tbody>${runs.runs.map(
    (run) => html`<tr>
    <td><a href="${href("runs", run.id)}"><code>${run.id}</code></a></td>
    <td>${status(run.status)}</td>
    <td>${run.trigger}${run.options.fullResync ? " · full resync" : ""}${run.options.forceDeletes ? " · forced deletes" : ""}</td>
    <td>${time(run.startedAt ?? run.createdAt)}</td>
    <td>${duration(run.durationMs)}</td>
    <td>${split(run.counts?.planned)}</td>
    <td>${split(run.counts?.succeeded)}</td>
    <td>${split(run.counts?.failed)}</td>
  </tr>`,
  )}</tbody>
</table>
</div>`
}
${pager(
  "Run history pages",
  runs.next ? `${withQuery(base, { before: runs.next })}#runs-h` : null,
  runs.paged ? `${base}#runs-h` : null,
)}
</section>`;
}

function failures(sync: string, data: SyncPageInput["failures"]): Html {
  const base = href("syncs", sync);
  const { filter } = data;
  const filtered = Boolean(filter.text || filter.errorClass);
  return html`<section aria-labelledby="failures-h" id="failures">
<h2 id="failures-h">Failures <span class="count">${number(data.total)}</span></h2>
<p class="muted">The retry ledger: records the destination has not accepted. Each is sent again, with its latest values, on every later run until it succeeds.</p>
<form method="get" action="${base}#failures" class="filters" role="search" aria-label="Filter failures">
  <div><label for="q">Key, code or reason contains</label>
  <input id="q" name="q" value="${filter.text ?? ""}" autocomplete="off"></div>
  <div><label for="class">Error class</label>
  <select id="class" name="class">
    <option value="">any</option>
    ${ERROR_CLASSES.map((c) => html`<option value="${c}"${filter.errorClass === c ? html` selected` : ""}>${c}</option>`)}
  </select></div>
  <div class="buttons"><button type="submit">Filter</button>
  ${filtered ? html`<a href="${base}#failures">Clear</a>` : ""}
  <a href="${href("syncs", sync, "failures.csv")}" download>Download CSV</a></div>
</form>
${filtered ? html`<p role="status">${number(data.matching)} of ${number(data.total)} match.</p>` : ""}
${data.failures.length === 0 ? html`<p class="muted">${filtered ? "No failure matches." : "No failures."}</p>` : failureTable(sync, data.failures)}
${pager(
  "Failure pages",
  data.next ? `${withQuery(base, { q: filter.text, class: filter.errorClass, after: data.next })}#failures` : null,
  data.paged ? `${withQuery(base, { q: filter.text, class: filter.errorClass })}#failures` : null,
)}
</section>`;
}

export function failureTable(sync: string, rows: FailureView[]): Html {
  return html`<div class="scroll" role="region" aria-label="Failures" tabindex="0">
<table class="failures">
  <caption class="sr-only">Records in the retry ledger</caption>
  <thead><tr><th scope="col">Key</th><th scope="col">Operation</th><th scope="col">Attempts</th><th scope="col">Class</th>
  <th scope="col">Code</th><th scope="col">Reason</th><th scope="col">Last failed</th><th scope="col">Run</th></tr></thead>
  <tbody>${rows.map(
    (f) => html`<tr>
    <td><a href="${withQuery(href("syncs", sync, "records"), { key: f.key })}"><code>${f.key}</code></a></td>
    <td>${f.operation} (${f.change})</td>
    <td>${f.attempts}</td>
    <td>${f.errorClass}</td>
    <td><code>${f.errorCode}</code></td>
    <td class="reason">${f.reason}</td>
    <td>${time(f.lastFailedAt)}</td>
    <td><a href="${href("runs", f.lastRunId)}"><code>${f.lastRunId}</code></a></td>
  </tr>`,
  )}</tbody>
</table>
</div>`;
}
