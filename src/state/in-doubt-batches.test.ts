import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { openState } from "./database.ts";
import { InDoubtBatches } from "./in-doubt-batches.ts";
import { snapshotRows } from "./inspect/index.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it("opening the state file expands the markers a dead process left, keeping delivered rows as they are", () => {
  const dir = mkdtempSync(join(tmpdir(), "syncline-in-doubt-"));
  dirs.push(dir);
  const path = join(dir, "state.db");
  const first = openState(path);
  first.sqlite
    .prepare(
      "INSERT INTO snapshots (sync, key, hash, remote_id, delivered_at, key_json) VALUES ('s', 'b', 'h', 'r', 1, 0)",
    )
    .run();
  // A batch marked in doubt whose process died before the commit (no release).
  new InDoubtBatches(first.sqlite, "s").mark(["a", "b"], ['{"id":1}'], 42);
  first.close();

  const reopened = openState(path);
  try {
    const rows = snapshotRows(reopened.sqlite).map(({ key, hash, delivered_at, key_json }) => ({
      key,
      hash,
      deliveredAt: delivered_at,
      keyJson: key_json,
    }));
    expect(rows).toEqual([
      { key: "a", hash: "", deliveredAt: 42, keyJson: 0 },
      { key: "b", hash: "h", deliveredAt: 1, keyJson: 0 },
      { key: '{"id":1}', hash: "", deliveredAt: 42, keyJson: 1 },
    ]);
    expect(reopened.sqlite.prepare("SELECT count(*) FROM in_doubt_batches").pluck().get()).toBe(0);
  } finally {
    reopened.close();
  }
});
