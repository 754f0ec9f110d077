import { html } from "hono/html";
import type { RunView } from "../../schemas.ts";
import type { Html } from "./layout.ts";
import { duration, sum } from "./parts.ts";

const WIDTH = 160;
const HEIGHT = 40;

/**
 * Recent runs as a small inline SVG (no script, no library): one bar per run, its height the
 * run's duration; runs with failed records or a failed status are drawn in the failure colour
 * with a mark above. The label says the same in words.
 */
export function runsChart(runs: RunView[], label: string): Html {
  if (runs.length === 0) return html`<span class="muted">no runs yet</span>`;
  const longest = Math.max(1, ...runs.map((run) => run.durationMs ?? 0));
  const step = WIDTH / Math.max(runs.length, 10);
  const failing = runs.filter(failed).length;
  const summary = `${label}: last ${runs.length} runs, ${duration(Math.min(...runs.map((r) => r.durationMs ?? 0)))} to ${duration(longest)}, ${failing} with failures`;
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${summary}">
  ${runs.map((run, index) => {
    const height = Math.max(2, Math.round(((run.durationMs ?? 0) / longest) * (HEIGHT - 8)));
    const x = (index * step).toFixed(1);
    const bad = failed(run);
    return html`<g class="${bad ? "bar bad" : "bar"}"><title>${run.id}: ${run.status}, ${duration(run.durationMs)}${
      run.counts ? `, ${sum(run.counts.failed)} failed` : ""
    }</title><rect x="${x}" y="${HEIGHT - height}" width="${(step * 0.7).toFixed(1)}" height="${height}"></rect>${
      bad ? html`<rect class="mark" x="${x}" y="0" width="${(step * 0.7).toFixed(1)}" height="4"></rect>` : ""
    }</g>`;
  })}
</svg>`;
}

function failed(run: RunView): boolean {
  return run.status === "failed" || run.status === "partial" || (run.counts ? sum(run.counts.failed) > 0 : false);
}
