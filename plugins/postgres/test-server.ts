import pg from "pg";

/** The Postgres the tests use: SYNCLINE_TEST_POSTGRES_URL or the local server. */
export const TEST_POSTGRES_URL = process.env.SYNCLINE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Whether the test server answers; says loudly why not, so a skip is never silent. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch (error) {
    console.warn(
      `\n!!! Postgres tests SKIPPED: cannot reach ${TEST_POSTGRES_URL}: ${(error as Error).message}\n` +
        "!!! Set SYNCLINE_TEST_POSTGRES_URL to a reachable server to run them.\n",
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Runs SQL on the test server with its own short-lived client. */
export async function adminQuery<T extends pg.QueryResultRow = pg.QueryResultRow>(
  sql: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await client.query<T>(sql, values);
  } finally {
    await client.end();
  }
}
