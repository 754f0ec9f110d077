import type { RuleType } from "../config/alerts-schema.ts";
import { formatDuration } from "../config/duration.ts";
import { total } from "../engine/index.ts";
import type { LedgerEntry } from "../state/ledger-store.ts";
import type { RunRecord, RunStatus } from "../state/run-store.ts";
import type { AlertRule } from "./config.ts";

/**
 * The run error code that means a destination's quota (daily API calls, monthly records) is
 * used up: the SDK's QuotaExhaustedError carries it, and the `quota_exhausted` rule matches it.
 */
export const QUOTA_EXHAUSTED_CODE = "quota_exhausted";

/** Runs that delivered (every record, or all but the refused ones). */
const DELIVERED: readonly RunStatus[] = ["succeeded", "partial"];

/** What a rule decided about one sync: it fires or it does not, and why, in words. */
export interface Verdict {
  firing: boolean;
  /** One sentence: what happened (or that it is over). */
  summary: string;
  /** Short label → value pairs (counts, ages, keys). */
  facts: Array<[string, string]>;
  /** The run the verdict is about, if any. */
  run?: RunRecord | undefined;
}

/** What the time-based rules read from the state. */
export interface Facts {
  lastDelivered(sync: string): RunRecord | undefined;
  firstRunAt(sync: string): number | undefined;
  running(sync: string): RunRecord | undefined;
  ledgerOlderThan(sync: string, before: number): { count: number; oldest: LedgerEntry | undefined };
}

export interface Occasion {
  /** The run that just finished, when a run's end is what prompted the evaluation. */
  run?: RunRecord | undefined;
  now: number;
  facts: Facts;
  /** When alerting started in this process: the reference for a sync that never ran. */
  since: number;
}

/** Rules that are checked on a timer as well as when a run ends. */
export const TIME_BASED: readonly RuleType[] = ["stale", "slow_run", "ledger_age"];

/** Decides a rule for one sync; undefined when the occasion says nothing either way (the status stays). */
export function evaluate(rule: AlertRule, sync: string, occasion: Occasion): Verdict | undefined {
  const run = occasion.run;
  switch (rule.type) {
    case "run_failed":
      if (run?.status === "failed") return fire(`Run ${run.id} of ${sync} failed`, run);
      return run && DELIVERED.includes(run.status) ? calm(`Run ${run.id} of ${sync} ${run.status}`, run) : undefined;
    case "run_partial":
      if (run?.status === "partial") {
        const failed = run.counts ? total(run.counts.failed) : 0;
        return fire(`${failed} record(s) of run ${run.id} of ${sync} were refused; they wait in the retry ledger`, run);
      }
      return run?.status === "succeeded" ? calm(`Run ${run.id} of ${sync} delivered every record`, run) : undefined;
    case "rejected_share":
      return rejectedShare(rule, sync, run);
    case "quota_exhausted":
      // A quota ends the run as `partial` (the records left wait for the next run), or
      // `failed` when nothing could be sent; either way its error carries the code.
      if (run?.error?.code === QUOTA_EXHAUSTED_CODE) {
        return fire(`Run ${run.id} of ${sync} stopped: the destination's quota is exhausted`, run);
      }
      return run && DELIVERED.includes(run.status)
        ? calm(`Run ${run.id} of ${sync} delivered again: the quota is available`, run)
        : undefined;
    case "stale":
      return stale(rule, sync, occasion);
    case "slow_run":
      return slowRun(rule, sync, occasion);
    case "ledger_age":
      return ledgerAge(rule, sync, occasion);
  }
}

function rejectedShare(rule: AlertRule, sync: string, run: RunRecord | undefined): Verdict | undefined {
  if (!run?.counts || !DELIVERED.includes(run.status)) return undefined;
  const refused = total(run.counts.failed) + run.counts.invalid;
  const considered = total(run.counts.planned) + run.counts.invalid;
  const share = considered === 0 ? 0 : (refused / considered) * 100;
  const facts: Verdict["facts"] = [
    ["Rejected", `${refused} of ${considered} (${share.toFixed(1)}%)`],
    ["Threshold", `${rule.percent}%`],
  ];
  return share > rule.percent!
    ? fire(`${share.toFixed(1)}% of the records of run ${run.id} of ${sync} were rejected`, run, facts)
    : calm(`${share.toFixed(1)}% of the records of run ${run.id} of ${sync} were rejected`, run, facts);
}

function stale(rule: AlertRule, sync: string, { facts, now, since, run }: Occasion): Verdict {
  const last = facts.lastDelivered(sync);
  const reference = last?.finishedAt ?? facts.firstRunAt(sync) ?? since;
  const age = now - reference;
  const lastText = last?.finishedAt ? new Date(last.finishedAt).toISOString() : "never";
  const details: Verdict["facts"] = [
    ["Last successful run", lastText],
    ["Threshold", formatDuration(rule.afterMs!)],
  ];
  return age > rule.afterMs!
    ? fire(`No successful run of ${sync} for ${formatDuration(age)}`, run, details)
    : calm(`${sync} ran successfully ${formatDuration(age)} ago`, last ?? run, details);
}

function slowRun(rule: AlertRule, sync: string, { run, facts, now }: Occasion): Verdict | undefined {
  const threshold = ["Threshold", formatDuration(rule.afterMs!)] as [string, string];
  if (run) {
    if (run.startedAt === null || run.finishedAt === null) return undefined;
    const took = run.finishedAt - run.startedAt;
    const details: Verdict["facts"] = [["Duration", formatDuration(took)], threshold];
    return took > rule.afterMs!
      ? fire(`Run ${run.id} of ${sync} took ${formatDuration(took)}`, run, details)
      : calm(`Run ${run.id} of ${sync} took ${formatDuration(took)}`, run, details);
  }
  const current = facts.running(sync);
  if (current?.startedAt == null || now - current.startedAt <= rule.afterMs!) return undefined;
  const running = now - current.startedAt;
  return fire(`Run ${current.id} of ${sync} has been running for ${formatDuration(running)}`, current, [
    ["Running for", formatDuration(running)],
    threshold,
  ]);
}

function ledgerAge(rule: AlertRule, sync: string, { facts, now, run }: Occasion): Verdict {
  const { count, oldest } = facts.ledgerOlderThan(sync, now - rule.afterMs!);
  const threshold = ["Threshold", formatDuration(rule.afterMs!)] as [string, string];
  if (count === 0 || !oldest) {
    return calm(`No record of ${sync} has been failing for more than ${formatDuration(rule.afterMs!)}`, run, [
      threshold,
    ]);
  }
  return fire(`${count} record(s) of ${sync} have been failing for more than ${formatDuration(rule.afterMs!)}`, run, [
    ["Oldest failing key", oldest.key],
    ["Failing since", new Date(oldest.firstFailedAt).toISOString()],
    ["Attempts", String(oldest.attempts)],
    ["Reason", `${oldest.errorCode}: ${oldest.reason}`],
    threshold,
  ]);
}

function fire(summary: string, run?: RunRecord, facts: Verdict["facts"] = []): Verdict {
  return { firing: true, summary, facts, run };
}

function calm(summary: string, run?: RunRecord, facts: Verdict["facts"] = []): Verdict {
  return { firing: false, summary, facts, run };
}
