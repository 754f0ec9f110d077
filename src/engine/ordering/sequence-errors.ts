import { ConfigurationError } from "../../sdk/errors/configuration-error.ts";
import { SynclineError } from "../../sdk/errors/syncline-error.ts";
import type { SequenceRunRecord } from "../../state/sequence-run-store.ts";

/** A name that is not a configured sequence. */
export class UnknownSequenceError extends ConfigurationError {
  constructor(sequence: string, known: readonly string[]) {
    super(`unknown sequence "${sequence}"`, {
      code: "unknown_sequence",
      fix: `configured sequences: ${known.join(", ") || "none"}`,
    });
    this.name = "UnknownSequenceError";
  }
}

/** A sequence runs at most once at a time: a trigger while it runs is refused, naming the run. */
export class SequenceRunningError extends SynclineError {
  readonly kind = "permanent" as const;
  readonly run: SequenceRunRecord;

  constructor(run: SequenceRunRecord) {
    super(`sequence "${run.sequence}" is already running (run ${run.id})`, {
      code: "sequence_running",
      fix: "wait for that run to finish, then trigger again",
    });
    this.name = "SequenceRunningError";
    this.run = run;
  }
}
