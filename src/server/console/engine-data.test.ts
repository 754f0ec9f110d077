import { afterEach, describe, expect, it } from "vitest";
import { AppHarness } from "../../../test/server/support.ts";
import { engineConsoleData } from "./engine-data.ts";
import { callsPage } from "./views/observe.ts";
import { recordPage } from "./views/record.ts";

let t: AppHarness;
afterEach(async () => t?.close());

describe("the console's changelog and inspector data", () => {
  it("shows a record's history, a run's records and a destination's last calls from the state", async () => {
    t = await new AppHarness({ rows: 6 }).setup();
    t.h.destination.decide = (record) => (record.key === "4" ? "reject" : "ok");
    const first = await t.h.run();
    t.h.destination.decide = () => "ok";
    const second = await t.h.run();
    const data = engineConsoleData(t.deps);

    const record = data.record("people", "4");
    expect(record.history).toMatchObject({
      available: true,
      rows: [
        { runId: second.id, outcome: "ok", operation: "add" },
        { runId: first.id, outcome: "reject", code: "INVALID", reason: "record 4 is invalid" },
      ],
    });
    const html = String(recordPage(record, "csrf"));
    expect(html).toContain("record 4 is invalid");
    expect(html).toContain(`href="/ui/runs/${first.id}"`);
    expect(String(recordPage(data.record("people", "no-such-key"), "csrf"))).toContain(
      "No rows in the record changelog",
    );

    const records = data.runRecords(first.id, "reject");
    expect(records).toMatchObject({ available: true, rows: [{ key: "4", outcome: "reject" }] });
    expect(data.runRecords(first.id)).toMatchObject({ available: true, rows: { length: 6 } });

    const calls = data.destinationCalls("memory");
    if (!calls.available) throw new Error(calls.reason);
    expect(calls.rows[0]).toMatchObject({ method: "UPSERT", url: "memory:people", runId: second.id });
    const page = String(callsPage({ name: "memory", type: "memory", syncs: ["people"] }, calls, "csrf"));
    expect(page).toContain("memory:people");
  });
});
