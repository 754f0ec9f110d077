/** Why the database refused one record: its own message, for the retry ledger. */
export interface RecordRefusal {
  code: string;
  message: string;
}

/**
 * Writes `records` with `attempt` (which must undo its own partial work on failure, as a
 * rollback to a savepoint does) and, when the database refuses the write for a reason that
 * belongs to the data (`refusal` returns one), splits the records in halves until each
 * refused record stands alone. Returns the refused records with their reasons; every other
 * record was written. Any other error is thrown unchanged. A batch with k bad records costs
 * about 2·k·log2(n) extra statements.
 */
export async function isolate<R>(
  records: readonly R[],
  attempt: (part: readonly R[]) => Promise<void>,
  refusal: (error: unknown) => RecordRefusal | undefined,
): Promise<Map<R, RecordRefusal>> {
  const refused = new Map<R, RecordRefusal>();
  const write = async (part: readonly R[]): Promise<void> => {
    if (part.length === 0) return;
    try {
      await attempt(part);
    } catch (error) {
      const reason = refusal(error);
      if (!reason) throw error;
      if (part.length === 1) {
        refused.set(part[0]!, reason);
        return;
      }
      const half = Math.ceil(part.length / 2);
      await write(part.slice(0, half));
      await write(part.slice(half));
    }
  };
  await write(records);
  return refused;
}
