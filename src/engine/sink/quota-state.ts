/** A quota of a destination as the engine last saw it. */
export interface QuotaStatus {
  /** What is used up, as the destination's plugin names it ("daily API requests"). */
  quota: string;
  /** Used up now: refused since the last call the destination accepted, and not yet reset. */
  exhausted: boolean;
  /** When the destination said it resets (epoch ms), if it did. */
  resetsAt: number | undefined;
}

/**
 * The quotas one destination instance (one account) has refused calls for, shared like its
 * limiter by every sync writing to it, for the metrics. A quota counts as used up from the
 * refusal until its reset time passes or the destination accepts a call again.
 */
export class QuotaState {
  private readonly quotas = new Map<string, { exhaustedAt: number; resetsAt: number | undefined }>();
  private lastAccepted = 0;

  /** The destination refused a call: `quota` is used up, until `resetsAt` if it said. */
  exhausted(quota: string, resetsAt: Date | undefined, now = Date.now()): void {
    this.quotas.set(quota, { exhaustedAt: now, resetsAt: resetsAt?.getTime() });
  }

  /**
   * The destination accepted a call that started at `startedAt`: a quota refused before that is
   * back. (A call in flight when the refusal came says nothing: it was counted before.)
   */
  accepted(startedAt = Date.now()): void {
    this.lastAccepted = Math.max(this.lastAccepted, startedAt);
  }

  /** Every quota refused so far, with whether it is still used up. */
  status(now = Date.now()): QuotaStatus[] {
    return [...this.quotas].map(([quota, { exhaustedAt, resetsAt }]) => ({
      quota,
      exhausted: exhaustedAt >= this.lastAccepted && (resetsAt === undefined || resetsAt > now),
      resetsAt,
    }));
  }
}
