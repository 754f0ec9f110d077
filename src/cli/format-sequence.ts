import type { SequenceRunView } from "../server/sequence-schemas.ts";

/** A sequence run for people: one line for the sequence, one per member with its counts. */
export function formatSequenceRun(run: SequenceRunView): string {
  const seconds = (run.durationMs / 1000).toFixed(2);
  const lines = [
    `sequence ${run.sequence}  run ${run.id}  ${run.status.toUpperCase()}  ${seconds} s  (on failure: ${run.onFailure})`,
  ];
  run.members.forEach((member, index) => {
    const counts = member.run?.counts;
    const sent = counts
      ? `  sent ${counts.succeeded.added + counts.succeeded.changed + counts.succeeded.removed}, failed ${counts.failed.added + counts.failed.changed + counts.failed.removed}`
      : "";
    lines.push(`  ${index + 1}. ${member.sync.padEnd(20)} ${member.status.padEnd(11)} ${member.run?.id ?? ""}${sent}`);
  });
  if (run.error) lines.push(`error: ${run.error.message}`);
  return lines.join("\n");
}
