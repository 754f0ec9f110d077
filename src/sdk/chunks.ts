/**
 * Groups a driver's rows (a stream, or a synchronous cursor) into chunks of `size` rows, as
 * `read` and `warehouse.query` yield them. The signal is checked after each chunk is consumed
 * and once the rows end, so a cancelled run stops within one chunk even when the driver does
 * not notice the abort.
 */
export async function* inChunks<T>(
  rows: AsyncIterable<T> | Iterable<T>,
  size: number,
  signal: AbortSignal,
): AsyncGenerator<T[]> {
  let chunk: T[] = [];
  for await (const row of rows) {
    chunk.push(row);
    if (chunk.length >= size) {
      yield chunk;
      chunk = [];
      signal.throwIfAborted();
    }
  }
  signal.throwIfAborted();
  if (chunk.length > 0) yield chunk;
}
