import { PermanentError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { parseBulkError } from "./bulk-results.ts";
import { parseCsv, toCsv } from "./csv.ts";
import salesforce from "./index.ts";
import { batch, contact, context, statuses, useSalesforceFake } from "./test-helpers.ts";

const org = useSalesforceFake();
const bulk = (config: Record<string, unknown> = {}) => context({ bulk: "always", bulkPollIntervalMs: 1, ...config });

describe("salesforce Bulk API 2.0", () => {
  it("runs one ingest job: create, upload CSV, UploadComplete, poll, results", async () => {
    org.use({ bulkPolls: 3 });
    const outcomes = await salesforce.write(bulk(), batch([contact("a"), contact("b")]));
    expect(statuses(outcomes)).toEqual(["a:ok", "b:ok"]);
    const held = org.fake.records("Contact");
    expect(outcomes.map((outcome) => (outcome.status === "ok" ? outcome.remoteId : ""))).toEqual(
      held.map((record) => record.Id),
    );
    const path = (call: { method: string; path: string }) => `${call.method} ${call.path.replace(/750Fk\w+/, "{job}")}`;
    expect(org.fake.calls.filter((call) => call.path.includes("/jobs/")).map(path)).toEqual([
      "POST /services/data/v62.0/jobs/ingest",
      "PUT /services/data/v62.0/jobs/ingest/{job}/batches",
      "PATCH /services/data/v62.0/jobs/ingest/{job}",
      "GET /services/data/v62.0/jobs/ingest/{job}",
      "GET /services/data/v62.0/jobs/ingest/{job}",
      "GET /services/data/v62.0/jobs/ingest/{job}",
      "GET /services/data/v62.0/jobs/ingest/{job}/successfulResults",
      "GET /services/data/v62.0/jobs/ingest/{job}/failedResults",
      "GET /services/data/v62.0/jobs/ingest/{job}/unprocessedrecords",
    ]);
    const [job] = org.fake.jobs.values();
    expect(job).toMatchObject({ operation: "upsert", externalIdFieldName: "External_Id__c", state: "JobComplete" });
  });

  it("is chosen in auto mode from bulkThreshold records", async () => {
    const records = Array.from({ length: 5 }, (_, i) => contact(`r${i}`));
    await salesforce.write(context({ bulk: "auto", bulkThreshold: 5, bulkPollIntervalMs: 1 }), batch(records));
    expect(org.fake.jobs.size).toBe(1);
    await salesforce.write(context({ bulk: "auto", bulkThreshold: 6 }), batch(records));
    expect(org.fake.jobs.size).toBe(1);
  });

  it("maps failedResults rows back to records with the sf__Error code and message", async () => {
    const outcomes = await salesforce.write(
      bulk(),
      batch([contact("ok"), contact("mail", { Email: "nope" }), contact("name", { LastName: null }), contact("fine")]),
    );
    expect(statuses(outcomes)).toEqual(["ok:ok", "mail:reject", "name:reject", "fine:ok"]);
    expect(outcomes[1]).toMatchObject({ code: "INVALID_EMAIL_ADDRESS", message: "Email: invalid email address: nope" });
    expect(outcomes[2]).toMatchObject({
      code: "REQUIRED_FIELD_MISSING",
      message: "Required fields are missing: [LastName]",
    });
  });

  it("retries rows that hit lock contention", async () => {
    org.fake.lockRows(1);
    const outcomes = await salesforce.write(bulk(), batch([contact("a"), contact("b")]));
    expect(outcomes[0]).toMatchObject({ status: "retry", code: "UNABLE_TO_LOCK_ROW" });
    expect(outcomes[1]?.status).toBe("ok");
  });

  it("keeps values with commas, quotes and newlines, and clears fields set to null", async () => {
    const tricky = 'Smith, "Jr."\nline two';
    await salesforce.write(bulk(), batch([contact("a", { Title: "Boss" })]));
    const outcomes = await salesforce.write(bulk(), batch([contact("a", { LastName: tricky, Title: null })]));
    expect(outcomes[0]?.status).toBe("ok");
    expect(org.fake.records("Contact")[0]).toMatchObject({ LastName: tricky, Title: null });
  });

  it("updates and deletes by Id", async () => {
    const ctx = bulk();
    const written = await salesforce.write(ctx, batch([contact("a"), contact("b")]));
    const ids = written.map((outcome) => (outcome.status === "ok" ? outcome.remoteId : undefined));
    const updated = await salesforce.write(ctx, batch([contact("a", { FirstName: "Ann" }, ids[0])], "update"));
    expect(updated[0]?.status).toBe("ok");
    expect(org.fake.records("Contact")[0]?.FirstName).toBe("Ann");
    const deletions = ids.map((remoteId, i) => ({ key: `d${i}`, keyValues: {}, fields: {}, remoteId }));
    expect(statuses(await salesforce.write(ctx, batch(deletions, "delete")))).toEqual(["d0:ok", "d1:ok"]);
    expect(statuses(await salesforce.write(ctx, batch(deletions, "delete")))).toEqual(["d0:ok", "d1:ok"]);
    expect(org.fake.records("Contact")).toHaveLength(0);
  });

  it("throws a PermanentError when the job fails as a whole", async () => {
    org.use({ objects: { Contact: { externalIdFields: ["External_Id__c"], fields: ["External_Id__c", "LastName"] } } });
    const error = await salesforce
      .write(bulk(), batch([contact("a", { Nope__c: 1 })]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toContain("Field name not found : Nope__c");
  });

  it("declares bigger batches and a longer timeout when bulk may be used", () => {
    const caps = (config: Record<string, unknown>) => {
      const parsed = context(config).config;
      return typeof salesforce.capabilities === "function" ? salesforce.capabilities(parsed) : salesforce.capabilities;
    };
    expect(caps({ bulk: "never" })).toMatchObject({ maxRecords: 200, timeoutMs: 120_000 });
    expect(caps({ bulk: "always" })).toMatchObject({ maxRecords: 10_000, timeoutMs: 600_000 });
    expect(caps({ bulk: "auto", bulkMaxRecords: 5_000 }).maxRecords).toBe(5_000);
  });
});

describe("bulk CSV and errors", () => {
  it("round-trips CSV cells", () => {
    const rows = [["a,b", 'say "hi"', "multi\nline", " padded ", ""]];
    expect(parseCsv(toCsv(["c1", "c2", "c3", "c4", "c5"], rows))).toEqual([["c1", "c2", "c3", "c4", "c5"], ...rows]);
  });

  it("parses sf__Error values", () => {
    expect(parseBulkError("REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --")).toEqual({
      code: "REQUIRED_FIELD_MISSING",
      message: "Required fields are missing: [Name]",
    });
    expect(parseBulkError("UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record: --")).toEqual({
      code: "UNABLE_TO_LOCK_ROW",
      message: "unable to obtain exclusive access to this record",
    });
    expect(parseBulkError("something odd")).toEqual({ code: "UNKNOWN_EXCEPTION", message: "something odd" });
  });
});
