import pg from "pg";

/** The Postgres the tests use: SYNCLINE_TEST_POSTGRES_URL or the local server. */
export const TEST_POSTGRES_URL = postgresUrl(process.env);

export function postgresUrl(env: NodeJS.ProcessEnv): string {
  return env.SYNCLINE_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";
}

/** Why the test server does not answer, or undefined when it does (test/support/services.ts decides: skip or fail). */
export async function postgresProblem(url = TEST_POSTGRES_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Whether the test server answers. */
export async function postgresReachable(): Promise<boolean> {
  return (await postgresProblem()) === undefined;
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
