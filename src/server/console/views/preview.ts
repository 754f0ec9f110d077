import { html } from "hono/html";
import type { PreviewSample, PreviewView } from "../data.ts";
import { csrfField, type Html, href, page } from "./layout.ts";
import { countsTable, duration, number, sum } from "./parts.ts";

export function previewPage(sync: string, csrf: string, result?: PreviewView): Html {
  return page(
    { title: `Plan preview of ${sync}`, csrf, nav: "syncs" },
    html`<p class="crumbs"><a href="${href()}">Syncs</a> / <a href="${href("syncs", sync)}">${sync}</a> /</p>
<h1>Plan preview</h1>
<p class="lead">A dry run: reads the model and computes the delta a run would send. Nothing is sent and nothing is committed.</p>
<form method="post" action="${href("syncs", sync, "preview")}" data-busy="Computing the delta…">
  ${csrfField(csrf)}
  <div class="check"><input type="checkbox" id="fullResync" name="fullResync" value="true"${result?.fullResync ? html` checked` : ""}>
    <label for="fullResync">As a full resync</label></div>
  <button type="submit">${result ? "Run the preview again" : "Run preview"}</button>
</form>
${result ? outcome(result) : ""}`,
  );
}

function outcome(result: PreviewView): Html {
  const planned = sum(result.counts.planned);
  return html`<section aria-labelledby="result-h" data-preview>
<h2 id="result-h">${planned === 0 ? "Nothing to send" : `${number(planned)} records would be sent`}</h2>
<p class="muted">Computed in ${duration(result.ms)}${result.fullResync ? ", as a full resync" : ""}.</p>
${
  result.deleteGuard
    ? html`<p class="alert" role="alert"><strong>A run would stop here:</strong> ${result.deleteGuard}</p>`
    : ""
}
${mappingPart(result)}
${countsTable(result.counts, "What a run would send", ["planned"])}
${samples("Added", "added", result.samples.added)}
${samples("Changed", "changed", result.samples.changed, result.beforeValues.available ? undefined : result.beforeValues.reason)}
${samples("Removed", "removed", result.samples.removed)}
${
  result.invalidSamples.length > 0
    ? html`<h3>Invalid rows</h3><ul>${result.invalidSamples.map((s) => html`<li><code>${s.key ?? "null"}</code>: ${s.reason}</li>`)}</ul>`
    : ""
}
</section>`;
}

/** The mapping's problems (a run would fail or reject them all), its notes, and the records a run would refuse. */
function mappingPart(result: PreviewView): Html {
  const problems = result.mapping?.problems ?? [];
  const notes = result.mapping?.notes ?? [];
  const unsendable = result.unsendable;
  return html`${
    problems.length > 0
      ? html`<div class="alert" role="alert" data-mapping-problems><strong>The mapping does not fit the destination:</strong><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`
      : ""
  }${notes.length > 0 ? html`<ul class="muted small" data-mapping-notes>${notes.map((n) => html`<li>${n}</li>`)}</ul>` : ""}${
    unsendable && unsendable.count > 0
      ? html`<h3>Rejected before sending: ${number(unsendable.count)}</h3><ul data-unsendable>${unsendable.samples.map(
          (s) => html`<li><code>${s.key}</code>: ${s.reason}</li>`,
        )}</ul>`
      : ""
  }`;
}

function samples(title: string, id: string, rows: PreviewSample[], beforeNote?: string): Html {
  if (rows.length === 0) return html``;
  const fields = [...new Set(rows.flatMap((row) => Object.keys(row.after ?? {})))];
  return html`<h3 id="sample-${id}">${title}: a sample</h3>
${beforeNote ? html`<p class="muted small">Values shown are the new ones. ${beforeNote}</p>` : ""}
<div class="scroll" role="region" aria-labelledby="sample-${id}" tabindex="0">
<table class="sample" data-sample="${id}">
  <thead><tr><th scope="col">Key</th>${id === "added" ? "" : html`<th scope="col">Remote id</th>`}${fields.map(
    (field) => html`<th scope="col">${field}</th>`,
  )}</tr></thead>
  <tbody>${rows.map(
    (row) =>
      html`<tr><th scope="row"><code>${row.key}</code></th>${
        id === "added" ? "" : html`<td>${row.remoteId ? html`<code>${row.remoteId}</code>` : "—"}</td>`
      }${fields.map((field) => html`<td>${cell(row, field)}</td>`)}</tr>`,
  )}</tbody>
</table>
</div>`;
}

/** "before → after" where the earlier value is known and differs; the new value otherwise. */
function cell(row: PreviewSample, field: string): Html {
  const after = show(row.after?.[field]);
  if (row.before && row.changedFields?.includes(field)) {
    return html`<del>${show(row.before[field])}</del> <ins>${after}</ins>`;
  }
  if (row.changedFields?.includes(field)) return html`<ins>${after}</ins>`;
  return html`${after}`;
}

function show(value: unknown): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  return typeof value === "string" ? value : JSON.stringify(value);
}
