import { Cron } from "croner";
import { suggest } from "../config/issues.ts";
import type { ResolvedConfig } from "../config/resolved.ts";
import type { SequenceSpec } from "../engine/index.ts";

/**
 * `sequences:` resolved. Each problem names its path and the fix: a sync that is not
 * configured (with the closest name), a sync listed twice, a name a sync already has (the
 * API, the CLI and the metrics would not tell them apart), a cron expression that does not parse.
 */
export function resolveSequences(
  raw: Pick<ResolvedConfig, "syncs" | "sequences">,
  problems: string[],
): Map<string, SequenceSpec> {
  const sequences = new Map<string, SequenceSpec>();
  const syncNames = Object.keys(raw.syncs);
  for (const [name, entry] of Object.entries(raw.sequences)) {
    const at = `sequences.${name}`;
    if (raw.syncs[name] !== undefined) {
      problems.push(`${at}: "${name}" is also the name of a sync — give the sequence another name`);
    }
    entry.syncs.forEach((sync, index) => {
      if (raw.syncs[sync] === undefined) {
        const hint = suggest(sync, syncNames);
        const fix = hint ? `did you mean "${hint}"?` : `configured syncs: ${syncNames.join(", ") || "none"}`;
        problems.push(`${at}.syncs.${index}: unknown sync "${sync}" — ${fix}`);
      } else if (entry.syncs.indexOf(sync) !== index) {
        problems.push(`${at}.syncs.${index}: sync "${sync}" is listed twice — list each sync once`);
      }
    });
    if (entry.schedule !== undefined) {
      const problem = cronProblem(entry.schedule);
      if (problem) problems.push(`${at}.schedule: ${problem}`);
    }
    sequences.set(name, {
      name,
      syncs: entry.syncs,
      onFailure: entry.onFailure,
      schedule: entry.schedule,
    });
  }
  return sequences;
}

/** Why a cron expression is refused, or undefined when croner accepts it. */
export function cronProblem(pattern: string): string | undefined {
  try {
    new Cron(pattern, { paused: true }).stop();
    return undefined;
  } catch (error) {
    return `invalid cron expression "${pattern}" (${(error as Error).message}) — for example "*/15 * * * *"`;
  }
}
