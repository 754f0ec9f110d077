/** One HTTP call a fake answered. */
export interface FakeCall {
  seq: number;
  /** Epoch ms when the call arrived. */
  at: number;
  method: string;
  /** Path and query, for example `/crm/v3/objects/contacts/batch/upsert`. */
  path: string;
  status: number;
  /** Records the call carried (0 for reads). */
  records: number;
  /** Why the fake refused the call, when it did (`rate_limited`, `quota_exhausted`, `unauthorized`, `fault`, `too_large`...). */
  refused?: string | undefined;
}

/** One change a fake applied to its records, in order. */
export interface FakeWrite {
  seq: number;
  at: number;
  object: string;
  op: "create" | "update" | "delete";
  id: string;
  values: Record<string, unknown>;
}

export interface FakeCounters {
  calls: number;
  /** Calls refused by the rate limit (or a throttle storm). */
  rateLimited: number;
  /** Calls refused because a daily (or other long-period) quota is used up. */
  quotaExhausted: number;
  unauthorized: number;
  /** Injected faults answered. */
  faults: number;
  /** Calls refused for carrying more records than allowed. */
  tooLarge: number;
}

/** The call log, write log and counters every fake keeps, for tests to assert on. */
export class FakeRecorder {
  readonly calls: FakeCall[] = [];
  readonly writes: FakeWrite[] = [];
  readonly counters: FakeCounters = {
    calls: 0,
    rateLimited: 0,
    quotaExhausted: 0,
    unauthorized: 0,
    faults: 0,
    tooLarge: 0,
  };
  #seq = 0;

  call(entry: Omit<FakeCall, "seq">): void {
    this.counters.calls++;
    if (entry.refused === "rate_limited") this.counters.rateLimited++;
    if (entry.refused === "quota_exhausted") this.counters.quotaExhausted++;
    if (entry.refused === "unauthorized") this.counters.unauthorized++;
    if (entry.refused === "fault") this.counters.faults++;
    if (entry.refused === "too_large") this.counters.tooLarge++;
    this.calls.push({ seq: ++this.#seq, ...entry });
  }

  write(entry: Omit<FakeWrite, "seq" | "at">): void {
    this.writes.push({ seq: ++this.#seq, at: Date.now(), ...entry });
  }

  /** Largest number of records any accepted call carried. */
  maxRecordsPerCall(): number {
    return this.calls.filter((call) => !call.refused).reduce((max, call) => Math.max(max, call.records), 0);
  }

  clear(): void {
    this.calls.length = 0;
    this.writes.length = 0;
    for (const key of Object.keys(this.counters) as Array<keyof FakeCounters>) this.counters[key] = 0;
  }
}
