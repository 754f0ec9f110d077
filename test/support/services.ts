import { postgresProblem, postgresUrl } from "../../plugins/postgres/test-server.ts";

/** The servers some suites need: where the tests look for each, and why it does not answer (undefined: it does). */
const SERVICES = {
  postgres: { variable: "SYNCLINE_TEST_POSTGRES_URL", url: postgresUrl, problem: postgresProblem },
} as const;

export type Service = keyof typeof SERVICES;

/** Whether this is a CI run (`CI=true`, as CI services set it). */
export function underCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

/**
 * Whether a suite that needs `name` can run. When the server does not answer, a developer's
 * machine skips the suite with a loud warning, but under CI this throws: a CI machine without
 * the server must fail, never pass by skipping what it did not test.
 */
export async function requireService(name: Service, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const service = SERVICES[name];
  const url = service.url(env);
  const problem = await service.problem(url);
  if (problem === undefined) return true;
  const why = `cannot reach ${name} at ${url}: ${problem}`;
  if (underCi(env)) {
    throw new Error(`${why} — under CI a suite that needs ${name} fails instead of skipping (set ${service.variable})`);
  }
  console.warn(`\n!!! ${name} tests SKIPPED: ${why}\n!!! Set ${service.variable} to a reachable server to run them.\n`);
  return false;
}
