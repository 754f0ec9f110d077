import mysql from "mysql2/promise";

/** The MySQL/MariaDB the tests use: SYNCLINE_TEST_MYSQL_URL or the local server. */
export const TEST_MYSQL_URL = process.env.SYNCLINE_TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/syncline_test";

/**
 * Creates the test database when missing. Throws, naming the URL, when the server does not
 * answer: tests that need it fail rather than skip.
 */
export async function requireMysql(): Promise<void> {
  const url = new URL(TEST_MYSQL_URL);
  const database = url.pathname.slice(1);
  url.pathname = "/";
  let connection: mysql.Connection;
  try {
    connection = await mysql.createConnection({ uri: url.toString(), connectTimeout: 5_000 });
  } catch (error) {
    throw new Error(
      `these tests need MySQL or MariaDB at ${TEST_MYSQL_URL} (set SYNCLINE_TEST_MYSQL_URL): ${(error as Error).message}`,
    );
  }
  try {
    await connection.query(`CREATE DATABASE IF NOT EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

/** Runs SQL on the test database with its own short-lived connection. */
export async function adminQuery<T = Record<string, unknown>[]>(sql: string, values: unknown[] = []): Promise<T> {
  const connection = await mysql.createConnection({ uri: TEST_MYSQL_URL, multipleStatements: true, dateStrings: true });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as T;
  } finally {
    await connection.end();
  }
}
