import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Logger, silentLogger } from "../../sdk/logger.ts";
import { ChangelogIndex } from "../../state/changelog-index.ts";
import { changelogAppender } from "../../state/changelog-store.ts";
import { openState, type StateDatabase } from "../../state/database.ts";
import { indexChangelog } from "./changelog-indexer.ts";

let state: StateDatabase;
beforeEach(() => {
  state = openState(":memory:");
  changelogAppender(
    state.sqlite,
    "people",
    "run_a",
  )(
    Array.from({ length: 5 }, (_, i) => [`k${i}`, "add", "ok", null, null, null, 1, null]),
    1_000,
  );
});
afterEach(() => state.close());

describe("indexChangelog", () => {
  it("indexes every pending row, a chunk per transaction", async () => {
    expect(await indexChangelog(state.sqlite, silentLogger, new AbortController().signal, 2)).toBe(5);
    expect(new ChangelogIndex(state.sqlite).pending()).toBe(0);
  });

  it("stops between chunks once its signal aborts", async () => {
    const abort = new AbortController();
    abort.abort();
    expect(await indexChangelog(state.sqlite, silentLogger, abort.signal, 2)).toBe(2);
    expect(new ChangelogIndex(state.sqlite).pending()).toBe(3);
  });

  it("logs a failure instead of throwing: the rows stay readable by id for the next run's end", async () => {
    const warnings: unknown[] = [];
    const logger = { ...silentLogger, warn: (...args: unknown[]) => warnings.push(args) } as Logger;
    state.sqlite.exec("DROP TABLE changelog_keys");
    expect(await indexChangelog(state.sqlite, logger, new AbortController().signal)).toBe(0);
    expect(warnings).toEqual([
      [{ err: expect.stringMatching(/changelog_keys/) }, expect.stringMatching(/could not index the record changelog/)],
    ]);
  });
});
