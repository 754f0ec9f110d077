import { afterEach, describe, expect, it } from "vitest";
import { Harness, type HarnessOptions, people } from "../../../test/support/harness.ts";
import { type Logger, silentLogger } from "../../sdk/logger.ts";
import type { DigestChunk } from "../../sdk/ordered-read.ts";
import type { SourceDefinition } from "../../sdk/source.ts";
import { snapshotRows } from "../../state/inspect/index.ts";
import type { RunRecord } from "../../state/run-store.ts";

/**
 * A first sync streams the model to the destination (strategy-first-sync.ts). Whatever it
 * skips (staging every row), it must leave exactly what the lookup path leaves: the same
 * records delivered, the same snapshot rows (hashes, key types, field hashes), the same
 * counts, samples and ledger — so every later run compares as before. Each case runs the same
 * model twice, through a source with an ordered read (streamed) and one without (staged).
 */
const harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((h) => h.close()));
});

const withoutOrderedRead = ({ readOrdered: _ordered, ...source }: SourceDefinition<unknown>) => source;

let orderedReads = 0;
/** How the streamed first sync read the rows: as texts DuckDB renders, or as values. */
const rowsRead = { texts: 0, values: 0 };
const countingOrderedRead = (source: SourceDefinition<unknown>): SourceDefinition<unknown> => ({
  ...source,
  readOrdered: async (ctx, model, request) => {
    orderedReads++;
    const read = await source.readOrdered!(ctx, model, request);
    if (!read) return read;
    return {
      ...read,
      chunks: read.chunks,
      allRows: () => {
        rowsRead.values++;
        return read.allRows!();
      },
      allRowTexts: (fields) => {
        rowsRead.texts++;
        return read.allRowTexts!(fields);
      },
    };
  },
});

// 20 people; id 5 twice (a duplicate), one row without an id, one with a null name.
const MODEL = `${people(1, 20)}; INSERT INTO people VALUES (5, 'again@example.com', 'Again', 1),
  (NULL, 'nobody@example.com', 'Nobody', 1); UPDATE people SET name = NULL WHERE id = 7`;

interface Outcome {
  run: RunRecord;
  writes: Array<{ operation: string; key: string; fields: unknown }>;
  snapshot: Array<Record<string, unknown>>;
  ledger: ReturnType<Harness["ledger"]>;
}

async function firstSync(options: HarnessOptions, wrap: (s: SourceDefinition<unknown>) => SourceDefinition<unknown>) {
  const h = new Harness({ ...options, wrapSource: wrap });
  harnesses.push(h);
  await h.setup();
  await h.sql(MODEL);
  return h;
}

function outcome(h: Harness, run: RunRecord): Outcome {
  return {
    run,
    writes: h.destination.writes
      .map(({ operation, key, fields }) => ({ operation, key, fields }))
      .sort((a, b) => (a.key < b.key ? -1 : 1)),
    snapshot: snapshotRows(h.state.sqlite, "people").map(({ delivered_at: _at, ...row }) => row),
    ledger: h.ledger(),
  };
}

/** The first sync both ways; returns the streamed one's harness and both outcomes. */
async function bothWays(options: HarnessOptions = {}, prepare: (h: Harness) => void = () => {}) {
  orderedReads = 0;
  Object.assign(rowsRead, { texts: 0, values: 0 });
  const streamed = await firstSync(options, countingOrderedRead);
  const staged = await firstSync(options, withoutOrderedRead);
  prepare(streamed);
  prepare(staged);
  const a = outcome(streamed, await streamed.run());
  const b = outcome(staged, await staged.run());
  expect(orderedReads).toBe(1);
  return { streamed, a, b };
}

function comparable(o: Outcome) {
  const { counts, invalidSamples, status, error } = o.run;
  return { counts, invalidSamples, status, error, writes: o.writes, snapshot: o.snapshot, ledger: o.ledger };
}

describe("a first sync streams the model and leaves what staging it would", () => {
  it("sends every valid row once; duplicates and null keys are invalid and unsent", async () => {
    const { streamed, a, b } = await bothWays();
    expect(comparable(a)).toEqual(comparable(b));
    expect(rowsRead).toEqual({ texts: 1, values: 0 });
    expect(a.run.status).toBe("succeeded");
    expect(a.run.counts?.planned).toEqual({ added: 19, changed: 0, removed: 0 });
    expect(a.run.counts?.invalid).toBe(3);
    expect(a.writes.map((w) => w.key)).not.toContain("5");
    expect(a.snapshot).toHaveLength(19);
    expect(a.snapshot.every((row) => row.hash !== "" && row.key_json === 1)).toBe(true);
    // The next run compares against what the stream left: nothing to send.
    const second = await streamed.run();
    expect(second.counts?.planned).toEqual({ added: 0, changed: 0, removed: 0 });
    expect(second.counts?.unchanged).toBe(19);
  });

  it("with nulls: skip and sendChangedFieldsOnly, the same fields sent and the same field hashes kept", async () => {
    const { streamed, a, b } = await bothWays({ nulls: "skip", changedFieldsOnly: { alwaysSend: [] } });
    expect(comparable(a)).toEqual(comparable(b));
    // Not the texts: the records sent are not the canonical JSON of all their fields.
    expect(rowsRead).toEqual({ texts: 0, values: 1 });
    expect(a.writes.find((w) => w.key === "7")?.fields).toEqual({ email: "p7@example.com", version: 1 });
    expect(a.snapshot.every((row) => typeof row.field_hashes === "string")).toBe(true);
    await streamed.sql("UPDATE people SET version = 2 WHERE id = 3");
    const second = await streamed.run();
    expect(second.counts?.planned).toEqual({ added: 0, changed: 1, removed: 0 });
    expect(streamed.destination.writes.at(-1)?.fields).toEqual({ version: 2 });
  });

  it("rows DuckDB cannot render as the engine does come as values, with the same result", async () => {
    orderedReads = 0;
    Object.assign(rowsRead, { texts: 0, values: 0 });
    const streamed = await firstSync({}, countingOrderedRead);
    const staged = await firstSync({}, withoutOrderedRead);
    // DuckDB escapes this control character as \u001F, JSON.stringify as \u001f.
    for (const h of [streamed, staged]) await h.sql("UPDATE people SET name = 'unit' || chr(31) WHERE id = 9");
    const a = outcome(streamed, await streamed.run());
    const b = outcome(staged, await staged.run());
    expect(rowsRead).toEqual({ texts: 1, values: 0 });
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.writes.find((w) => w.key === "9")?.fields).toMatchObject({ name: "unit\u001f" });
  });

  it("insert mode: the same records inserted", async () => {
    const { a, b } = await bothWays({ mode: "insert" });
    expect(comparable(a)).toEqual(comparable(b));
    expect(new Set(a.writes.map((w) => w.operation))).toEqual(new Set(["insert"]));
  });

  it("records the destination refuses land in the ledger and snapshot as on any run", async () => {
    const decide = (h: Harness) => {
      h.destination.decide = (record) => (record.key === "3" || record.key === "4" ? "reject" : "ok");
    };
    const { streamed, a, b } = await bothWays({}, decide);
    expect(comparable(a)).toEqual(comparable(b));
    expect(a.run.status).toBe("partial");
    expect(a.ledger.map((entry) => entry.key).sort()).toEqual(["3", "4"]);
    // The retry goes through the ordered merge, against the snapshot the stream left.
    streamed.destination.decide = () => "ok";
    const retry = await streamed.run();
    expect(retry.counts?.planned).toEqual({ added: 2, changed: 0, removed: 0 });
    expect(streamed.ledger()).toEqual([]);
  });

  it("keys out of order: the run reads the model whole instead, with the same result", async () => {
    // Each chunk's keys served backwards: the first sync notices and stages the model.
    const flip = (chunk: DigestChunk): DigestChunk => {
      const at = (i: number) => chunk.length - 1 - i;
      return {
        length: chunk.length,
        keyRow: (i) => chunk.keyRow(at(i)),
        ...(chunk.key ? { key: (i: number) => chunk.key!(at(i)) } : {}),
        hashIs: (i, hash) => chunk.hashIs(at(i), hash),
      };
    };
    const reversed = (source: SourceDefinition<unknown>): SourceDefinition<unknown> => ({
      ...source,
      readOrdered: async (ctx, model, request) => {
        orderedReads++;
        const read = await source.readOrdered!(ctx, model, request);
        if (!read) return read;
        const chunks = read.chunks;
        return {
          ...read,
          chunks: (async function* () {
            for await (const chunk of chunks) yield flip(chunk);
          })(),
        };
      },
    });
    orderedReads = 0;
    const warnings: string[] = [];
    const logger: Logger = {
      ...silentLogger,
      warn: (_obj, msg) => void warnings.push(msg ?? ""),
      child: () => logger,
    };
    const streamed = await firstSync({ maxRecords: 5, logger }, reversed);
    const staged = await firstSync({ maxRecords: 5 }, withoutOrderedRead);
    const a = outcome(streamed, await streamed.run());
    const b = outcome(staged, await staged.run());
    expect(orderedReads).toBe(1);
    expect(warnings).toContain("first sync: reading the model whole instead of streaming it");
    expect(comparable(a)).toEqual(comparable(b));
  });
});
