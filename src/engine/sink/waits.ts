import { QuotaExhaustedError } from "../../sdk/errors/quota-exhausted-error.ts";
import type { SynclineError } from "../../sdk/errors/syncline-error.ts";

/** Why a run's calls to a destination are held. */
export type WaitCause = "rate_limit" | "quota" | "retry";

/** A wait of DEFAULTS.sink.reportWaitMs or more, as the run's progress shows it. */
export interface Wait {
  destination: string;
  cause: WaitCause;
  ms: number;
  /** Epoch ms when the wait ends. */
  until: number;
  /** The destination's words (or the engine's) about why. */
  message: string;
}

/** Why a run stopped sending before its delta was through; the rest waits for the next run. */
export interface Halt {
  code: "quota_exhausted" | "wait_budget_exhausted";
  message: string;
  fix?: string | undefined;
}

/**
 * A run's wait budget: the time its calls may be held for rate limits, quotas and retries, in
 * total, whatever batch they belong to (the sync's resolved `maxWaitMs`). Waits that overlap —
 * batches in flight held by one pause — count once, as the wall-clock time the run spent held.
 */
export class WaitBudget {
  readonly limitMs: number;
  private spent = 0;
  private coveredUntil = 0;

  constructor(limitMs: number) {
    this.limitMs = limitMs;
  }

  get spentMs(): number {
    return this.spent;
  }

  /** Whether a wait that ends at `until` is already charged (another of the run's calls waits for it). */
  covers(until: number): boolean {
    return until <= this.coveredUntil;
  }

  /** Charges a wait that ends at `until` if the budget has room for it; false if not. */
  charge(until: number, now = Date.now()): boolean {
    const extra = Math.max(0, until - Math.max(now, this.coveredUntil));
    if (this.spent + extra > this.limitMs) return false;
    this.spent += extra;
    this.coveredUntil = Math.max(this.coveredUntil, until);
    return true;
  }
}

/** The wait a rate limit or a quota asks for (undefined: a quota that says nothing of its reset). */
export function requestedWaitMs(error: SynclineError, fallbackMs: number, now = Date.now()): number | undefined {
  if (error instanceof QuotaExhaustedError) {
    return error.resetsAt === undefined ? undefined : Math.max(0, error.resetsAt.getTime() - now);
  }
  return (error as { retryAfterMs?: number }).retryAfterMs ?? fallbackMs;
}

/** Why the run stops: the quota, when it resets, or the budget a wait would exceed. */
export function haltFor(
  error: SynclineError,
  destination: string,
  budget: WaitBudget,
  wantedMs: number | undefined,
): Halt {
  if (error instanceof QuotaExhaustedError) {
    const resets = error.resetsAt
      ? `; it resets at ${error.resetsAt.toISOString()}${wantedMs !== undefined ? `, in ${duration(wantedMs)}, beyond the run's wait budget (${duration(budget.limitMs - budget.spentMs)} left)` : ""}`
      : "";
    return {
      code: "quota_exhausted",
      message: `${destination}: ${error.quota} used up${resets} (${error.message})`,
      fix: error.fix,
    };
  }
  return {
    code: "wait_budget_exhausted",
    message: `${destination} asks to wait ${duration(wantedMs ?? 0)} more (${error.message}), but the run has already waited ${duration(budget.spentMs)} of its ${duration(budget.limitMs)} wait budget`,
    fix: "run again later, or raise the sync's maxWaitMs",
  };
}

/** 800 ms, 2.5 s, 1 min 30 s, 2 h 5 min. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1).replace(/\.0$/, "")} s`;
  const seconds = Math.round(ms / 1000);
  const parts: Array<[number, string]> = [
    [Math.floor(seconds / 3600), "h"],
    [Math.floor((seconds % 3600) / 60), "min"],
    [seconds % 60, "s"],
  ];
  const used = parts.filter(([value]) => value > 0);
  return used
    .slice(0, 2)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(" ");
}
