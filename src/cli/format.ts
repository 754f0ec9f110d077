import Table from "cli-table3";
import type { Preview, RunCounts } from "../engine/index.ts";
import type { RunRecord } from "../state/run-store.ts";

export function formatRun(run: RunRecord): string {
  const seconds = run.startedAt && run.finishedAt ? ((run.finishedAt - run.startedAt) / 1000).toFixed(2) : "?";
  const lines = [`run ${run.id}  sync ${run.sync}  ${run.status.toUpperCase()}  ${seconds} s`];
  if (run.counts) lines.push(formatCounts(run.counts, true));
  for (const sample of run.invalidSamples.slice(0, 5))
    lines.push(`  invalid: ${sample.key ?? "(null key)"} — ${sample.reason}`);
  if (run.error) lines.push(`error: ${run.error.message}`);
  return lines.join("\n");
}

export function formatCounts(counts: RunCounts, withOutcomes: boolean): string {
  const table = new Table({ head: ["", "added", "changed", "removed", "total"], style: { head: [], border: [] } });
  const row = (name: string, split: RunCounts["planned"]) =>
    table.push([name, split.added, split.changed, split.removed, split.added + split.changed + split.removed]);
  row("planned", counts.planned);
  if (withOutcomes) {
    row("succeeded", counts.succeeded);
    row("failed", counts.failed);
  }
  return `${table.toString()}\nrows read ${counts.rowsRead}, unchanged ${counts.unchanged}, invalid ${counts.invalid}`;
}

export function formatPreview(sync: string, preview: Preview): string {
  const lines = [`plan for ${sync} (dry run: nothing sent, nothing committed)`, formatCounts(preview.counts, false)];
  for (const change of ["added", "changed", "removed"] as const) {
    for (const record of preview.samples[change]) {
      const fields = record.fields ? `  ${JSON.stringify(record.fields)}` : "";
      const changed = record.changedFields ? `  changed fields: ${record.changedFields.join(", ") || "none"}` : "";
      lines.push(`  ${change.padEnd(7)} ${record.key}${changed}${fields}`);
    }
  }
  for (const sample of preview.invalidSamples.slice(0, 5))
    lines.push(`  invalid: ${sample.key ?? "(null key)"} — ${sample.reason}`);
  for (const problem of preview.mapping?.problems ?? []) lines.push(`mapping problem: ${problem}`);
  for (const note of preview.mapping?.notes ?? []) lines.push(`mapping note: ${note}`);
  if (preview.unsendable && preview.unsendable.count > 0) {
    const { count, samples } = preview.unsendable;
    lines.push(`a run would reject ${count} record${count === 1 ? "" : "s"} unsent (values that do not convert):`);
    for (const sample of samples) lines.push(`  ${sample.key} — ${sample.reason}`);
  }
  if (preview.deleteGuard) lines.push(`a run would stop: ${preview.deleteGuard}`);
  return lines.join("\n");
}
