import { html } from "hono/html";
import type { ChangelogEntry, RecordLookup } from "../data.ts";
import { type Html, href, page } from "./layout.ts";
import { time, unavailable } from "./parts.ts";

export function recordPage(record: RecordLookup, csrf: string): Html {
  return page(
    { title: `${record.key} in ${record.sync}`, csrf, nav: "syncs" },
    html`<p class="crumbs"><a href="${href()}">Syncs</a> / <a href="${href("syncs", record.sync)}">${record.sync}</a> /</p>
<h1>Record <code>${record.key}</code></h1>
<form method="get" action="${href("syncs", record.sync, "records")}" class="inline">
  <label for="key">Primary key</label>
  <input id="key" name="key" value="${record.key}" required autocomplete="off" spellcheck="false">
  <button type="submit">Look up</button>
</form>
<section aria-labelledby="now-h">
  <h2 id="now-h">Where it stands</h2>
  <p data-record-verdict>${verdict(record)}</p>
  <dl class="facts">
    <div><dt>Delivered</dt><dd>${record.snapshot ? time(record.snapshot.deliveredAt) : "never"}</dd></div>
    <div><dt>Remote id</dt><dd>${record.snapshot?.remoteId ? html`<code>${record.snapshot.remoteId}</code>` : "—"}</dd></div>
    ${
      record.failure
        ? html`<div><dt>Failing since</dt><dd>${time(record.failure.firstFailedAt)}</dd></div>
    <div><dt>Attempts</dt><dd>${record.failure.attempts}</dd></div>
    <div><dt>Error</dt><dd><code>${record.failure.errorClass} / ${record.failure.errorCode}</code></dd></div>
    <div><dt>Last run</dt><dd><a href="${href("runs", record.failure.lastRunId)}"><code>${record.failure.lastRunId}</code></a></dd></div>`
        : ""
    }
  </dl>
  ${record.failure ? html`<p class="reason alert">${record.failure.reason}</p>` : ""}
</section>
<section aria-labelledby="history-h">
  <h2 id="history-h">History</h2>
  ${unavailable(record.history, (rows) => changelogTable(rows, "Every run that touched this record"))}
</section>`,
  );
}

function verdict(record: RecordLookup): Html {
  if (record.failure) {
    const times = record.failure.attempts === 1 ? "once" : `${record.failure.attempts} times`;
    return html`<strong>Not accepted by the destination.</strong> Its ${record.failure.operation} failed ${times};
      it is in the retry ledger and is sent again, with its latest values, on the next run.`;
  }
  if (record.snapshot?.confirmed) return html`<strong>Delivered.</strong> The destination accepted its latest values.`;
  if (record.snapshot) {
    return html`<strong>In doubt.</strong> It was being sent when a run stopped; the next run sends it again.`;
  }
  return html`<strong>Not known to this sync.</strong> It was never delivered, or it left the model and was removed or forgotten.`;
}

/** The changelog's columns (issue 17): run, sync, key, operation, outcome, code/reason, remote id, attempts, time. */
export function changelogTable(rows: ChangelogEntry[], caption: string): Html {
  if (rows.length === 0) {
    return html`<p class="muted">No rows in the record changelog (a run writes one per record it sends; rows are kept for the retention period).</p>`;
  }
  return html`<div class="scroll" role="region" aria-label="${caption}" tabindex="0">
<table class="changelog">
  <caption class="sr-only">${caption}</caption>
  <thead><tr><th scope="col">Time</th><th scope="col">Run</th><th scope="col">Sync</th><th scope="col">Key</th>
  <th scope="col">Operation</th><th scope="col">Outcome</th><th scope="col">Code / reason</th>
  <th scope="col">Remote id</th><th scope="col">Attempts</th></tr></thead>
  <tbody>${rows.map(
    (e) => html`<tr>
    <td>${time(e.at)}</td>
    <td><a href="${href("runs", e.runId)}"><code>${e.runId}</code></a></td>
    <td>${e.sync}</td>
    <td><code>${e.key}</code></td>
    <td>${e.operation}</td>
    <td><span class="status status-${e.outcome}">${e.outcome}</span></td>
    <td class="reason">${e.code ? html`<code>${e.code}</code> ` : ""}${e.reason ?? ""}</td>
    <td>${e.remoteId ? html`<code>${e.remoteId}</code>` : "—"}</td>
    <td>${e.attempts}</td>
  </tr>`,
  )}</tbody>
</table>
</div>`;
}
