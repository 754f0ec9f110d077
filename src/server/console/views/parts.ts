import { html } from "hono/html";
import type { RunCounts, Split } from "../../../engine/index.ts";
import type { Available } from "../data.ts";
import type { Html } from "./layout.ts";

const CHANGES = ["added", "changed", "removed"] as const;
const ROWS = ["planned", "succeeded", "failed"] as const;
type Row = (typeof ROWS)[number];

export function status(value: string): Html {
  return html`<span class="status status-${value}">${value}</span>`;
}

/** A timestamp in UTC; the client script shows it in the reader's time zone. */
export function time(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}">${iso.replace("T", " ").replace(/\.\d+Z$/, " UTC")}</time>`;
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function number(value: number): string {
  return value.toLocaleString("en-US");
}

/** The 3 × 3 counts of a run: planned, succeeded and failed, each split by kind of change. */
export function countsTable(counts: RunCounts | null, caption: string, rows: readonly Row[] = ROWS): Html {
  if (!counts) return html`<p class="muted">No counts yet.</p>`;
  return html`<div class="scroll fit" role="region" aria-label="${caption}" tabindex="0">
  <table class="counts" data-counts>
    <caption>${caption}</caption>
    <thead><tr><th scope="col"><span class="sr-only">Outcome</span></th>${CHANGES.map((c) => html`<th scope="col">${c}</th>`)}<th scope="col">total</th></tr></thead>
    <tbody>
      ${rows.map(
        (row) =>
          html`<tr><th scope="row">${row}</th>${CHANGES.map(
            (change) => html`<td data-count="${row}.${change}">${number(counts[row][change])}</td>`,
          )}<td data-count="${row}.total">${number(sum(counts[row]))}</td></tr>`,
      )}
    </tbody>
  </table>
</div>
<p class="muted">Rows read <span data-count="rowsRead">${number(counts.rowsRead)}</span>,
unchanged <span data-count="unchanged">${number(counts.unchanged)}</span>,
invalid <span data-count="invalid">${number(counts.invalid)}</span>.</p>`;
}

/** One line "+1 ~3 −1" for a split, with the words for screen readers. */
export function split(value: Split | undefined): Html {
  if (!value) return html`<span class="muted">—</span>`;
  return html`<span class="split" title="${value.added} added, ${value.changed} changed, ${value.removed} removed"
    ><span aria-hidden="true">+${value.added} ~${value.changed} −${value.removed}</span
    ><span class="sr-only">${value.added} added, ${value.changed} changed, ${value.removed} removed</span></span>`;
}

export function sum(value: Split): number {
  return value.added + value.changed + value.removed;
}

/** A section whose data comes from a part of Syncline that is not there yet. */
export function unavailable<T>(data: Available<T>, render: (rows: T) => Html): Html {
  if (data.available) return render(data.rows);
  return html`<p class="notice" role="note">${data.reason}</p>`;
}

export function pager(label: string, next: string | null, first: string | null): Html {
  if (!next && !first) return html``;
  return html`<nav class="pager" aria-label="${label}">
    ${first ? html`<a href="${first}">First page</a>` : ""}
    ${next ? html`<a href="${next}" rel="next">Next page</a>` : ""}
  </nav>`;
}
