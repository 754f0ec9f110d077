import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationError, QuotaExhaustedError, RateLimitError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { FAKE_CLIENT_ID, FAKE_USERNAME } from "./fake/options.ts";
import salesforce from "./index.ts";
import { batch, contact, context, statuses, useSalesforceFake } from "./test-helpers.ts";

const org = useSalesforceFake();

describe("salesforce sObject Collections", () => {
  it("upserts by external id in one PATCH with allOrNone false and returns the Ids", async () => {
    const outcomes = await salesforce.write(context(), batch([contact("a"), contact("b", { Email: "b@example.com" })]));
    expect(statuses(outcomes)).toEqual(["a:ok", "b:ok"]);
    const held = org.fake.records("Contact");
    expect(outcomes.map((outcome) => (outcome.status === "ok" ? outcome.remoteId : ""))).toEqual(held.map((r) => r.Id));
    expect(held[1]).toMatchObject({ External_Id__c: "b", Email: "b@example.com" });
    const writes = org.fake.calls.filter((call) => call.path.includes("composite"));
    expect(writes.map((call) => `${call.method} ${call.path}`)).toEqual([
      "PATCH /services/data/v62.0/composite/sobjects/Contact/External_Id__c",
    ]);
  });

  it("rejects records with Salesforce's statusCode and message, and keeps the others", async () => {
    const outcomes = await salesforce.write(
      context(),
      batch([contact("ok"), contact("mail", { Email: "not-an-email" }), contact("name", { LastName: null })]),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(outcomes[1]).toEqual({
      key: "mail",
      status: "reject",
      code: "INVALID_EMAIL_ADDRESS",
      message: "Email: invalid email address: not-an-email",
    });
    expect(outcomes[2]).toMatchObject({
      status: "reject",
      code: "REQUIRED_FIELD_MISSING",
      message: "Required fields are missing: [LastName]",
    });
    expect(org.fake.records("Contact")).toHaveLength(1);
  });

  it("retries records that hit UNABLE_TO_LOCK_ROW", async () => {
    org.fake.lockRows(1);
    const outcomes = await salesforce.write(context(), batch([contact("a"), contact("b")]));
    expect(outcomes[0]).toMatchObject({ status: "retry", code: "UNABLE_TO_LOCK_ROW" });
    expect(outcomes[1]?.status).toBe("ok");
  });

  it("splits batches over 200 records into calls of at most 200", async () => {
    const records = Array.from({ length: 450 }, (_, i) => contact(`r${i}`));
    const outcomes = await salesforce.write(context({ bulk: "auto", bulkThreshold: 1000 }), batch(records));
    expect(outcomes.every((outcome) => outcome.status === "ok")).toBe(true);
    const calls = org.fake.calls.filter((call) => call.path.includes("composite"));
    expect(calls.map((call) => call.records)).toEqual([200, 200, 50]);
    expect(org.fake.records("Contact")).toHaveLength(450);
  });

  it("after a first accepted call, a failing call returns retry outcomes instead of throwing", async () => {
    org.fake.fail({
      status: 503,
      match: (request) => request.method === "PATCH" && org.fake.calls.some((c) => c.method === "PATCH"),
    });
    const records = Array.from({ length: 250 }, (_, i) => contact(`r${i}`));
    const outcomes = await salesforce.write(context({ bulk: "auto", bulkThreshold: 1000 }), batch(records));
    expect(outcomes.slice(0, 200).every((outcome) => outcome.status === "ok")).toBe(true);
    expect(outcomes.slice(200).every((outcome) => outcome.status === "retry")).toBe(true);
  });

  it("waits limitWaitMs when the org has too many long-running requests (REQUEST_LIMIT_EXCEEDED, usage below the cap)", async () => {
    org.fake.throttle(1);
    const error = await salesforce
      .write(context({ limitWaitMs: 30_000 }), batch([contact("a")]))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(30_000);
    expect((error as RateLimitError).message).toContain("ConcurrentPerOrgLongTxn");
  });

  it("throws a QuotaExhaustedError when the org's daily API allocation is used up", async () => {
    org.use({ dailyApiRequests: 5, apiRequestsUsed: 4 });
    const ctx = context({ limitWaitMs: 30_000 });
    expect(statuses(await salesforce.write(ctx, batch([contact("a")])))).toEqual(["a:ok"]);
    const error = await salesforce.write(ctx, batch([contact("b")])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QuotaExhaustedError);
    expect(error).toMatchObject({ kind: "quota", resetsAt: undefined });
    expect((error as QuotaExhaustedError).quota).toContain("daily API request allocation");
    expect((error as QuotaExhaustedError).message).toContain("TotalRequests Limit exceeded. (api-usage 5/5)");
    expect(org.fake.counters.quotaExhausted).toBe(1);
  });

  it("returns retry for the records of a later call that meets the daily cap, keeping the first call's", async () => {
    org.use({ dailyApiRequests: 5, apiRequestsUsed: 4 });
    const records = Array.from({ length: 250 }, (_, i) => contact(`r${i}`));
    const outcomes = await salesforce.write(context({ bulk: "auto", bulkThreshold: 1000 }), batch(records));
    expect(outcomes.slice(0, 200).every((outcome) => outcome.status === "ok")).toBe(true);
    expect(outcomes.slice(200).every((outcome) => outcome.status === "retry")).toBe(true);
    expect(outcomes[200]).toMatchObject({ code: "quota_exhausted" });
  });

  it("throws a TransientError for 5xx", async () => {
    org.fake.fail({ status: 503, match: (request) => request.url.includes("/composite/") });
    const error = await salesforce.write(context(), batch([contact("a")])).catch((caught: unknown) => caught);
    expect((error as { kind?: string }).kind).toBe("transient");
  });

  it("updates and inserts by Id, deletes idempotently, rejects records without an Id", async () => {
    const ctx = context();
    const [written] = await salesforce.write(ctx, batch([contact("a")]));
    const id = written?.status === "ok" ? written.remoteId : undefined;
    const updated = await salesforce.write(
      ctx,
      batch([contact("a", { FirstName: "Ann" }, id), contact("x")], "update"),
    );
    expect(statuses(updated)).toEqual(["a:ok", "x:reject"]);
    expect(org.fake.records("Contact")[0]?.FirstName).toBe("Ann");
    const inserted = await salesforce.write(ctx, batch([contact("n")], "insert"));
    expect(inserted[0]?.status).toBe("ok");
    const deletion = [{ key: "a", keyValues: {}, fields: {}, remoteId: id }];
    expect(statuses(await salesforce.write(ctx, batch(deletion, "delete")))).toEqual(["a:ok"]);
    expect(statuses(await salesforce.write(ctx, batch(deletion, "delete")))).toEqual(["a:ok"]);
    expect(statuses(await salesforce.write(ctx, batch([{ key: "z", keyValues: {}, fields: {} }], "delete")))).toEqual([
      "z:reject",
    ]);
    expect(org.fake.records("Contact").map((record) => record.External_Id__c)).toEqual(["n"]);
  });

  it("needs an external id field for upserts", async () => {
    const error = await salesforce
      .write(context(), { object: "Contact", operation: "upsert", records: [contact("a")], options: {} })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).fix).toContain("externalIdField");
  });

  it("rejects a lone record the whole call refused, with Salesforce's errorCode", async () => {
    const outcomes = await salesforce.write(context(), {
      object: "Contact",
      operation: "upsert",
      records: [contact("a")],
      options: { externalIdField: "LastName" },
    });
    expect(outcomes[0]).toMatchObject({ status: "reject", code: "INVALID_FIELD" });
  });
});

describe("salesforce confirms a record only when Salesforce answers for it", () => {
  const composite = (request: Request) => request.url.includes("/composite/");

  it("retries every record when the answer does not have exactly one result per record", async () => {
    org.fake.fail({
      status: 200,
      match: composite,
      body: [
        { id: "003A", success: true, errors: [] },
        { id: "003B", success: true, errors: [] },
        { id: "003C", success: true, errors: [] },
      ],
    });
    const outcomes = await salesforce.write(context(), batch([contact("a"), contact("b")]));
    expect(statuses(outcomes)).toEqual(["a:retry", "b:retry"]);
    expect(outcomes[0]).toMatchObject({ code: "result_mismatch" });
  });

  it("counts only success: true as success, and retries a result that says neither", async () => {
    org.fake.fail({ status: 200, match: composite, body: [{ id: "003A", success: "false", errors: [] }] });
    const outcomes = await salesforce.write(context(), batch([contact("a")]));
    expect(statuses(outcomes)).toEqual(["a:retry"]);
  });

  it("retries a deletion whose result names another record", async () => {
    org.fake.fail({ status: 200, match: composite, body: [{ id: "003OTHER", success: true, errors: [] }] });
    const deletion = [{ key: "a", keyValues: {}, fields: {}, remoteId: "003A" }];
    const outcomes = await salesforce.write(context(), batch(deletion, "delete"));
    expect(statuses(outcomes)).toEqual(["a:retry"]);
  });
});

describe("salesforce OAuth", () => {
  it("refreshes the token once when a call gets INVALID_SESSION_ID, mid-run", async () => {
    org.use({ tokenTtlCalls: 2 });
    const ctx = context();
    for (const key of ["a", "b", "c", "d"]) {
      const outcomes = await salesforce.write(ctx, batch([contact(key)]));
      expect(outcomes[0]?.status).toBe("ok");
    }
    expect(org.fake.counters.tokensIssued).toBe(2);
    expect(org.fake.calls.filter((call) => call.status === 401)).toHaveLength(1);
    expect(org.fake.records("Contact")).toHaveLength(4);
  });

  it("refreshes after tokens are revoked on demand", async () => {
    const ctx = context();
    await salesforce.write(ctx, batch([contact("a")]));
    org.fake.expireTokens();
    const outcomes = await salesforce.write(ctx, batch([contact("b")]));
    expect(outcomes[0]?.status).toBe("ok");
    expect(org.fake.counters.tokensIssued).toBe(2);
  });

  it("refreshes again when concurrent calls use up a new session before this call's retry reaches it", async () => {
    org.use({ tokenTtlCalls: 2 });
    const ctx = context();
    await salesforce.write(ctx, batch([contact("first")]));
    const keys = ["a", "b", "c", "d"];
    const outcomes = await Promise.all(keys.map((key) => salesforce.write(ctx, batch([contact(key)]))));
    expect(outcomes.map((batchOutcomes) => batchOutcomes[0]?.status)).toEqual(keys.map(() => "ok"));
    expect(org.fake.counters.tokensIssued).toBeGreaterThanOrEqual(3);
    expect(org.fake.records("Contact")).toHaveLength(5);
  });

  it("gives up with a ConfigurationError when a fresh token is refused too", async () => {
    org.use({ tokenTtlCalls: 0 });
    const error = await salesforce.write(context(), batch([contact("a")])).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(org.fake.counters.tokensIssued).toBe(2);
  });

  it("reports bad client credentials as a ConfigurationError without the secret", async () => {
    const error = await salesforce.check(context({ clientSecret: "s3cr3t-value" })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain("invalid_client");
    expect((error as Error).message).not.toContain("s3cr3t-value");
  });

  it("signs JWT bearer assertions with RS256 (key inline or from a file next to the config)", async () => {
    const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const publicKey = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
    const privateKey = keys.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    org.use({ publicKey });
    const jwt = { clientSecret: undefined, clientId: FAKE_CLIENT_ID, username: FAKE_USERNAME };
    await expect(salesforce.check(context({ ...jwt, privateKey }))).resolves.toBeUndefined();
    const dir = mkdtempSync(join(tmpdir(), "sf-key-"));
    writeFileSync(join(dir, "server.key"), privateKey);
    await expect(
      salesforce.check(context({ ...jwt, privateKeyFile: "server.key" }, { baseDir: dir })),
    ).resolves.toBeUndefined();
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    await expect(salesforce.check(context({ ...jwt, privateKey: other }))).rejects.toBeInstanceOf(ConfigurationError);
    await expect(
      salesforce.check(context({ ...jwt, username: "someone@else.com", privateKey })),
    ).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("asks for credentials when neither flow is configured", async () => {
    const error = await salesforce.check(context({ clientSecret: undefined })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).fix).toContain("privateKey");
  });

  it("shares one token request between concurrent writes", async () => {
    const ctx = context();
    await Promise.all(["a", "b", "c"].map((key) => salesforce.write(ctx, batch([contact(key)]))));
    expect(org.fake.counters.tokensIssued).toBe(1);
  });
});

describe("salesforce discover", () => {
  it("describes Account, Contact and Lead with required fields", async () => {
    const objects = (await salesforce.discover?.(context())) ?? [];
    expect(objects.map((object) => object.name)).toEqual(["Account", "Contact", "Lead"]);
    const contactFields = objects[1]?.fields ?? [];
    expect(contactFields.find((field) => field.name === "LastName")?.required).toBe(true);
    expect(contactFields.map((field) => field.name)).not.toContain("Id");
  });

  it("describes the objects asked for, custom ones included", async () => {
    const objects = (await salesforce.discover?.(context(), { objects: ["Widget__c"] })) ?? [];
    expect(objects.map((object) => object.name)).toEqual(["Widget__c"]);
    expect(objects[0]?.fields.map((field) => field.name)).toContain("Widget_Id__c");
  });

  it("types fields in the SDK's vocabulary; a restricted picklist lists its values", async () => {
    const objects = (await salesforce.discover?.(context())) ?? [];
    const field = (object: number, name: string) => objects[object]?.fields.find((f) => f.name === name);
    expect(field(0, "NumberOfEmployees")).toMatchObject({ type: "integer", nativeType: "int" });
    expect(field(0, "AnnualRevenue")?.type).toBe("number");
    expect(field(0, "OwnerId")?.required).toBe(false);
    expect(field(1, "Birthdate")?.type).toBe("date");
    expect(field(1, "HasOptedOutOfEmail")?.type).toBe("boolean");
    expect(field(1, "LastCURequestDate")?.type).toBe("datetime");
    expect(field(1, "LastName")).toMatchObject({ type: "string", maxLength: 80, required: true });
    expect(field(2, "Status")?.enum).toEqual(["Open - Not Contacted", "Working - Contacted", "Closed - Converted"]);
    expect(field(0, "Industry")?.enum).toBeUndefined();
  });
});

describe("partial updates (sendChangedFieldsOnly)", () => {
  it("declares them, and names the external id field as the field every record carries", () => {
    const caps = (salesforce.capabilities as (config: never) => { partialUpdate?: boolean })({ bulk: "auto" } as never);
    expect(caps.partialUpdate).toBe(true);
    expect(salesforce.identifyingFields?.("Contact", { externalIdField: "External_Id__c" })).toEqual([
      "External_Id__c",
    ]);
    expect(salesforce.identifyingFields?.("Contact", {})).toEqual([]);
  });
});
