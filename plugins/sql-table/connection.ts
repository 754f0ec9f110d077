/** What the table destinations need of a pooled connection: mysql2's and pg's both fit. */
export interface PooledConnection {
  query(sql: string): Promise<unknown>;
  release(): void;
}

/**
 * Runs `work` on a connection checked out by `connect`, and gives the connection back to
 * its pool afterwards whatever happened. A failure of `work` is thrown as `fail` classifies
 * it; a failure to connect is thrown as `connect` classified it.
 */
export async function withConnection<C extends PooledConnection, T>(
  connect: () => Promise<C>,
  work: (connection: C) => Promise<T>,
  fail: (error: unknown) => Error,
): Promise<T> {
  const connection = await connect();
  try {
    return await work(connection);
  } catch (error) {
    throw fail(error);
  } finally {
    connection.release();
  }
}

/**
 * Runs `work` under a savepoint: on failure the transaction is rolled back to where `work`
 * began (and stays usable) before the error is thrown on.
 */
export async function savepoint(connection: Pick<PooledConnection, "query">, work: () => Promise<void>): Promise<void> {
  await connection.query("SAVEPOINT syncline_part");
  try {
    await work();
  } catch (error) {
    await connection.query("ROLLBACK TO SAVEPOINT syncline_part");
    throw error;
  }
  await connection.query("RELEASE SAVEPOINT syncline_part");
}
