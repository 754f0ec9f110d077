/**
 * The test runner the contract kits register their checks with: vitest when the test file
 * runs under vitest (it sets VITEST in its workers), Node's own `node:test` otherwise. The
 * checks themselves assert with `node:assert`, which both runners report, so one kit serves
 * `vitest run` and `node --test` alike and plain Node never loads vitest.
 */

type Body = () => unknown;

export interface Runner {
  describe(name: string, body: () => void): void;
  it(name: string, body: Body): void;
  before(body: Body): void;
  after(body: Body): void;
}

/**
 * Each check's time limit. Vitest's default (5 s) is too short for the slower checks (the
 * streaming and cancellation ones), and a plugin author should not have to raise it.
 */
export const CHECK_TIMEOUT_MS = 120_000;

interface VitestApi {
  describe(name: string, body: () => void): void;
  it(name: string, body: Body, timeout: number): void;
  beforeAll(body: Body, timeout: number): void;
  afterAll(body: Body, timeout: number): void;
}

interface NodeTestApi {
  describe(name: string, body: () => void): void;
  it(name: string, options: { timeout: number }, body: Body): void;
  before(body: Body, options: { timeout: number }): void;
  after(body: Body, options: { timeout: number }): void;
}

/** Under vitest, its API, loaded once when the kit is imported (so plain Node never loads it). */
const vitest = process.env.VITEST
  ? // Resolved from the kit's own location: the vitest installed beside syncline.
    ((await import("vitest")) as unknown as VitestApi)
  : undefined;

/** The runner of the current process, looked up when a kit registers its checks. */
export function currentRunner(): Runner {
  if (vitest) {
    return {
      describe: (name, body) => vitest.describe(name, body),
      it: (name, body) => vitest.it(name, body, CHECK_TIMEOUT_MS),
      before: (body) => vitest.beforeAll(body, CHECK_TIMEOUT_MS),
      after: (body) => vitest.afterAll(body, CHECK_TIMEOUT_MS),
    };
  }
  const test = process.getBuiltinModule("node:test") as unknown as NodeTestApi;
  return {
    describe: (name, body) => test.describe(name, body),
    it: (name, body) => test.it(name, { timeout: CHECK_TIMEOUT_MS }, body),
    before: (body) => test.before(body, { timeout: CHECK_TIMEOUT_MS }),
    after: (body) => test.after(body, { timeout: CHECK_TIMEOUT_MS }),
  };
}
