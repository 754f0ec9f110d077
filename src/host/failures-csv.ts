import type { LedgerEntry } from "../state/ledger-store.ts";

const HEADER = [
  "key",
  "operation",
  "change",
  "attempts",
  "error_class",
  "error_code",
  "reason",
  "first_failed_at",
  "last_failed_at",
  "last_run_id",
];

/** RFC 4180 CSV of ledger entries, with a header line. */
export function* failuresCsv(entries: Iterable<LedgerEntry>): Generator<string> {
  yield `${HEADER.join(",")}\r\n`;
  for (const e of entries) {
    yield `${[
      e.key,
      e.operation,
      e.change,
      e.attempts,
      e.errorClass,
      e.errorCode,
      e.reason,
      new Date(e.firstFailedAt).toISOString(),
      new Date(e.lastFailedAt).toISOString(),
      e.lastRunId,
    ]
      .map(cell)
      .join(",")}\r\n`;
  }
}

export function cell(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  // A leading =, +, - or @ would be run as a formula by spreadsheet programs.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
