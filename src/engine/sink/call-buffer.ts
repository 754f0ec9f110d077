import type { DestinationCallRow } from "../../state/call-store.ts";
import type { CallLog } from "./inspector.ts";

/** Where buffered calls are written: inside a transaction the caller holds (`append`), or in one of its own (`record`). */
export interface CallSink {
  append(call: DestinationCallRow, keep: number): void;
  record(call: DestinationCallRow, keep: number): void;
}

/** Calls kept in memory per destination before they are written, at most (older ones are dropped). */
const MAX_PENDING = 10_000;

/**
 * The inspector's calls wait in memory and are written inside the next batch commit's
 * transaction (src/engine/ledger/commit.ts), or after the run: recording a call never takes the
 * state file's write lock on its own during a run, so a locked state file cannot make the
 * inspector block a sync.
 */
export class CallBuffer implements CallLog {
  private pending: Array<{ call: DestinationCallRow; keep: number }> = [];
  private readonly sink: CallSink;

  constructor(sink: CallSink) {
    this.sink = sink;
  }

  record(call: DestinationCallRow, keep: number): void {
    this.pending.push({ call, keep });
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
  }

  /** Writes what is pending, inside the caller's transaction (to `sink`: a batch commit's own writer). */
  appendPending(sink: Pick<CallSink, "append"> = this.sink): void {
    const pending = this.take();
    for (const { call, keep } of pending) sink.append(call, keep);
  }

  /** Writes what is pending in a transaction of its own (between runs); dropped if the state file refuses. */
  flush(): void {
    const pending = this.take();
    try {
      for (const { call, keep } of pending) this.sink.record(call, keep);
    } catch {
      // The call log is a diagnostic: a busy or read-only state file loses these calls, nothing else.
    }
  }

  private take() {
    const pending = this.pending;
    this.pending = [];
    return pending;
  }
}
