/** What a member's failure does to the rest of its sequence. */
export type OnFailure = "stop" | "continue";

/** A configured sequence, resolved: syncs run one after another, in this order. */
export interface SequenceSpec {
  name: string;
  syncs: readonly string[];
  onFailure: OnFailure;
  schedule?: string | undefined;
}
