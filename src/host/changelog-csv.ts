import type { ChangelogRow } from "../state/changelog-store.ts";
import { cell } from "./failures-csv.ts";

const HEADER = ["run_id", "sync", "key", "operation", "outcome", "code", "reason", "remote_id", "attempts", "at"];

/** RFC 4180 CSV of changelog rows, with a header line (values are never exported). */
export function* changelogCsv(rows: Iterable<ChangelogRow>): Generator<string> {
  yield `${HEADER.join(",")}\r\n`;
  for (const r of rows) {
    yield `${[r.runId, r.sync, r.key, r.operation, r.outcome, r.code, r.reason, r.remoteId, r.attempts, r.at]
      .map(cell)
      .join(",")}\r\n`;
  }
}
