import { html } from "hono/html";
import type { SyncOverview } from "../data.ts";
import { runsChart } from "./chart.ts";
import { type Html, href, page } from "./layout.ts";
import { duration, number, split, status, time } from "./parts.ts";

export function overviewPage(syncs: SyncOverview[], csrf: string): Html {
  return page(
    { title: "Syncs", csrf, nav: "syncs" },
    html`<h1>Syncs</h1>
${
  syncs.length === 0
    ? html`<p>No syncs are configured. Add one under <code>syncs:</code> in the configuration file.</p>`
    : html`<div class="scroll" role="region" aria-label="Syncs" tabindex="0">
<table class="syncs">
  <caption class="sr-only">Every configured sync and its last run</caption>
  <thead><tr>
    <th scope="col">Sync</th><th scope="col">Status</th><th scope="col">Last run</th>
    <th scope="col">Succeeded</th><th scope="col">Failed</th><th scope="col">Duration</th>
    <th scope="col">Next run</th><th scope="col">Ledger</th><th scope="col">Recent runs</th>
  </tr></thead>
  <tbody>${syncs.map(row)}</tbody>
</table>
</div>`
}`,
  );
}

function row(sync: SyncOverview): Html {
  const last = sync.lastRun;
  return html`<tr data-sync="${sync.name}">
  <th scope="row"><a href="${href("syncs", sync.name)}">${sync.name}</a>
    <div class="muted small">${sync.source.name} → ${sync.destination.name} (${sync.destination.type}) · ${sync.mode}</div></th>
  <td>${last ? status(last.status) : html`<span class="muted">never run</span>`}</td>
  <td>${last ? html`<a href="${href("runs", last.id)}">${time(last.startedAt ?? last.createdAt)}</a>` : "—"}</td>
  <td>${split(last?.counts?.succeeded)}</td>
  <td>${split(last?.counts?.failed)}</td>
  <td>${duration(last?.durationMs)}</td>
  <td>${sync.schedule ? html`${time(sync.nextRunAt)}<div class="muted small"><code>${sync.schedule}</code></div>` : html`<span class="muted">on demand</span>`}</td>
  <td>${
    sync.ledgerSize > 0
      ? html`<a href="${href("syncs", sync.name)}#failures">${number(sync.ledgerSize)} failing</a>`
      : html`<span class="muted">0</span>`
  }</td>
  <td>${runsChart(sync.recent, `Recent runs of ${sync.name}`)}</td>
</tr>`;
}
