import { randomBytes } from "node:crypto";
import type { RuleType, Severity } from "../config/alerts-schema.ts";
import { formatDuration } from "../config/duration.ts";
import { total } from "../engine/index.ts";
import type { RunRecord } from "../state/run-store.ts";
import type { AlertRule } from "./config.ts";
import type { Verdict } from "./rules.ts";
import { truncate } from "./truncate.ts";

export type NotificationKind = "firing" | "resolved" | "test";

/**
 * One notification, in Syncline's own terms; each channel renders it in its format (the
 * generic webhook sends it as it is). Built once, redacted and truncated, then stored in the
 * outbox: the state file never holds a secret.
 */
export interface Notification {
  version: 1;
  id: string;
  kind: NotificationKind;
  /** Stable per (rule, sync): the same alert firing and resolving shares it (PagerDuty's dedup_key). */
  dedupKey: string;
  rule: { name: string; type: RuleType | "test"; severity: Severity };
  sync: string | null;
  title: string;
  summary: string;
  facts: Array<{ label: string; value: string }>;
  run: {
    id: string;
    status: string;
    trigger: string;
    startedAt: string | null;
    finishedAt: string | null;
    durationMs: number | null;
    counts: RunRecord["counts"];
  } | null;
  error: { code: string; message: string } | null;
  /** When the alert started firing. */
  firingSince: string;
  resolvedAt: string | null;
  at: string;
  /** Where to read more: the run (or sync) in the service's API, when `server.publicUrl` is set. */
  link: string | null;
}

const TITLES: Record<RuleType, string> = {
  run_failed: "Run failed",
  run_partial: "Records refused",
  rejected_share: "Rejected share above threshold",
  stale: "No successful run",
  slow_run: "Slow run",
  ledger_age: "Records failing for too long",
  quota_exhausted: "Destination quota exhausted",
};

export function dedupKey(rule: string, sync: string): string {
  return `syncline/${rule}/${sync}`;
}

export function notificationId(now = Date.now()): string {
  return `ntf_${now.toString(36)}${randomBytes(4).toString("hex")}`;
}

/** The notification for a change of an alert's status. */
export function buildNotification(input: {
  kind: "firing" | "resolved";
  rule: AlertRule;
  sync: string;
  verdict: Verdict;
  firingSince: number;
  now: number;
  publicUrl?: string | undefined;
}): Notification {
  const { rule, sync, verdict, now } = input;
  const run = verdict.run;
  const title = `${input.kind === "resolved" ? "Resolved: " : ""}${TITLES[rule.type]} — ${sync}`;
  const path = run ? `/v1/runs/${run.id}` : `/v1/syncs/${sync}`;
  return {
    version: 1,
    id: notificationId(now),
    kind: input.kind,
    dedupKey: dedupKey(rule.name, sync),
    rule: { name: rule.name, type: rule.type, severity: rule.severity },
    sync,
    title,
    summary: verdict.summary,
    facts: [...runFacts(run), ...verdict.facts].map(([label, value]) => ({ label, value })),
    run: run ? summariseRun(run) : null,
    error: run?.error ?? null,
    firingSince: new Date(input.firingSince).toISOString(),
    resolvedAt: input.kind === "resolved" ? new Date(now).toISOString() : null,
    at: new Date(now).toISOString(),
    link: input.publicUrl ? `${input.publicUrl}${path}` : null,
  };
}

/**
 * Masks every secret (first, so that cutting cannot leave half a secret behind) and cuts the
 * long texts: an error message or a destination's reason can be megabytes.
 */
export function sanitise(notification: Notification, redact: (text: string) => string, maxChars: number) {
  const clean = JSON.parse(redact(JSON.stringify(notification))) as Notification;
  clean.summary = truncate(clean.summary, maxChars);
  clean.facts = clean.facts.map(({ label, value }) => ({ label, value: truncate(value, maxChars) }));
  if (clean.error)
    clean.error = { code: truncate(clean.error.code, 200), message: truncate(clean.error.message, maxChars) };
  return clean;
}

function runFacts(run: RunRecord | undefined): Array<[string, string]> {
  if (!run) return [];
  const facts: Array<[string, string]> = [["Run", `${run.id} (${run.status}, trigger ${run.trigger})`]];
  if (run.startedAt !== null && run.finishedAt !== null) {
    facts.push(["Duration", formatDuration(run.finishedAt - run.startedAt)]);
  }
  const counts = run.counts;
  if (counts) {
    facts.push([
      "Records",
      `${total(counts.planned)} planned, ${total(counts.succeeded)} delivered, ${total(counts.failed)} failed, ${counts.invalid} invalid (rows read ${counts.rowsRead})`,
    ]);
  }
  return facts;
}

function summariseRun(run: RunRecord): NonNullable<Notification["run"]> {
  return {
    id: run.id,
    status: run.status,
    trigger: run.trigger,
    startedAt: run.startedAt === null ? null : new Date(run.startedAt).toISOString(),
    finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
    durationMs: run.startedAt !== null && run.finishedAt !== null ? run.finishedAt - run.startedAt : null,
    counts: run.counts,
  };
}
