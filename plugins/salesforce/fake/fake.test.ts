import { describe, expect, it } from "vitest";
import { createSalesforceFake, type SalesforceFake } from "./fake.ts";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET } from "./options.ts";

const ORG = "https://org.example.com";

async function login(fake: SalesforceFake, secret = FAKE_CLIENT_SECRET) {
  const response = await fake.fetch(
    new Request(`${ORG}/services/oauth2/token`, {
      method: "POST",
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: FAKE_CLIENT_ID, client_secret: secret }),
    }),
  );
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function api(
  fake: SalesforceFake,
  token: string,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
) {
  const response = await fake.fetch(
    new Request(`${ORG}/services/data/v62.0/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": contentType },
      body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}

const contacts = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({
    attributes: { type: "Contact" },
    External_Id__c: `e${from + i}`,
    LastName: `L${i}`,
  }));

async function ready(options: Parameters<typeof createSalesforceFake>[0] = {}) {
  const fake = createSalesforceFake(options);
  const { body } = await login(fake);
  return { fake, token: body.access_token as string };
}

describe("Salesforce fake", () => {
  it("issues tokens for the client-credentials flow naming the instance, refuses a wrong secret", async () => {
    const fake = createSalesforceFake();
    const good = await login(fake);
    expect(good.status).toBe(200);
    expect(good.body).toMatchObject({ instance_url: ORG, token_type: "Bearer" });
    const bad = await login(fake, "nope");
    expect(bad).toEqual({
      status: 400,
      body: { error: "invalid_client", error_description: "invalid client credentials" },
    });
  });

  it("answers 401 INVALID_SESSION_ID for unknown, expired and used-up tokens", async () => {
    const { fake, token } = await ready({ tokenTtlCalls: 1 });
    expect((await api(fake, "bogus", "GET", "limits")).status).toBe(401);
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
    const expired = await api(fake, token, "GET", "limits");
    expect(expired.status).toBe(401);
    expect(expired.json()).toEqual([{ message: "Session expired or invalid", errorCode: "INVALID_SESSION_ID" }]);
    const again = await ready();
    again.fake.expireTokens();
    expect((await api(again.fake, again.token, "GET", "limits")).status).toBe(401);
  });

  it("upserts by external id: created, then updated, results in request order", async () => {
    const { fake, token } = await ready();
    const first = await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", {
      allOrNone: false,
      records: contacts(2),
    });
    expect(first.status).toBe(200);
    expect((first.json() as Array<{ created: boolean }>).map((r) => r.created)).toEqual([true, true]);
    const second = await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", {
      allOrNone: false,
      records: contacts(1),
    });
    expect(second.json()).toEqual([{ id: fake.records("Contact")[0]?.Id, success: true, errors: [], created: false }]);
    expect(fake.writes.map((write) => write.op)).toEqual(["create", "create", "update"]);
    expect(second.headers.get("sforce-limit-info")).toMatch(/^api-usage=\d+\/\d+$/);
  });

  it("refuses more than 200 records with EXCEEDED_ID_LIMIT and writes nothing", async () => {
    const { fake, token } = await ready();
    const response = await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", {
      records: contacts(201),
    });
    expect(response.status).toBe(400);
    expect((response.json() as Array<{ errorCode: string }>)[0]?.errorCode).toBe("EXCEEDED_ID_LIMIT");
    expect(fake.records("Contact")).toHaveLength(0);
    expect(fake.counters.tooLarge).toBe(1);
  });

  it("validates per record (INVALID_EMAIL_ADDRESS, REQUIRED_FIELD_MISSING, duplicate external ids)", async () => {
    const { fake, token } = await ready();
    const records = [
      { attributes: { type: "Contact" }, External_Id__c: "a", LastName: "A", Email: "bad" },
      { attributes: { type: "Contact" }, External_Id__c: "b" },
      { attributes: { type: "Contact" }, External_Id__c: "c", LastName: "C" },
      { attributes: { type: "Contact" }, External_Id__c: "c", LastName: "C2" },
    ];
    const response = await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", { records });
    const codes = (response.json() as Array<{ errors: Array<{ statusCode: string }> }>).map(
      (r) => r.errors[0]?.statusCode,
    );
    expect(codes).toEqual([
      "INVALID_EMAIL_ADDRESS",
      "REQUIRED_FIELD_MISSING",
      "DUPLICATE_EXTERNAL_ID",
      "DUPLICATE_EXTERNAL_ID",
    ]);
    expect(fake.records("Contact")).toHaveLength(0);
  });

  it("rolls everything back with allOrNone true", async () => {
    const { fake, token } = await ready();
    const records = [...contacts(1), { attributes: { type: "Contact" }, External_Id__c: "x" }];
    const response = await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", {
      allOrNone: true,
      records,
    });
    const codes = (response.json() as Array<{ errors: Array<{ statusCode: string }> }>).map(
      (r) => r.errors[0]?.statusCode,
    );
    expect(codes).toEqual(["ALL_OR_NONE_OPERATION_ROLLED_BACK", "REQUIRED_FIELD_MISSING"]);
    expect(fake.records("Contact")).toHaveLength(0);
  });

  it("enforces the daily API allocation: 403 TotalRequests without Retry-After, the usage in every answer", async () => {
    const { fake, token } = await ready({ dailyApiRequests: 10, apiRequestsUsed: 8 });
    const first = await api(fake, token, "GET", "limits");
    expect(first.headers.get("sforce-limit-info")).toBe("api-usage=9/10");
    expect((first.json() as { DailyApiRequests: unknown }).DailyApiRequests).toEqual({ Max: 10, Remaining: 1 });
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
    const limited = await api(fake, token, "GET", "limits");
    expect(limited.status).toBe(403);
    expect(limited.headers.get("retry-after")).toBeNull();
    expect(limited.headers.get("sforce-limit-info")).toBe("api-usage=10/10");
    expect(limited.json()).toEqual([{ message: "TotalRequests Limit exceeded.", errorCode: "REQUEST_LIMIT_EXCEEDED" }]);
    expect(fake.counters.quotaExhausted).toBe(1);
    fake.resetAllocation();
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
  });

  it("frees the allocation as requests age out of the rolling window", async () => {
    const { fake, token } = await ready({ rateLimit: { requests: 2, windowMs: 300 } });
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
    expect((await api(fake, token, "GET", "limits")).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await api(fake, token, "GET", "limits")).status).toBe(200);
  });

  it("throttles with the short-lived concurrent-requests limit, usage below the cap", async () => {
    const { fake, token } = await ready();
    fake.throttle(1);
    const limited = await api(fake, token, "GET", "limits");
    expect(limited.status).toBe(403);
    expect((limited.json() as Array<{ message: string }>)[0]?.message).toBe("ConcurrentPerOrgLongTxn Limit exceeded.");
    expect(fake.counters.rateLimited).toBe(1);
  });

  it("deletes collections, reporting ENTITY_IS_DELETED the second time", async () => {
    const { fake, token } = await ready();
    await api(fake, token, "PATCH", "composite/sobjects/Contact/External_Id__c", { records: contacts(2) });
    const ids = fake
      .records("Contact")
      .map((record) => record.Id)
      .join(",");
    const first = await api(fake, token, "DELETE", `composite/sobjects?ids=${ids}&allOrNone=false`);
    expect((first.json() as Array<{ success: boolean }>).map((r) => r.success)).toEqual([true, true]);
    const second = await api(fake, token, "DELETE", `composite/sobjects?ids=${ids}&allOrNone=false`);
    expect((second.json() as Array<{ errors: Array<{ statusCode: string }> }>)[0]?.errors[0]?.statusCode).toBe(
      "ENTITY_IS_DELETED",
    );
  });

  it("runs a Bulk API 2.0 ingest job and reports results as CSV", async () => {
    const { fake, token } = await ready({ bulkPolls: 2 });
    const job = (
      await api(fake, token, "POST", "jobs/ingest", {
        object: "Contact",
        operation: "upsert",
        externalIdFieldName: "External_Id__c",
        contentType: "CSV",
      })
    ).json() as { id: string; state: string };
    expect(job.state).toBe("Open");
    const csv = 'External_Id__c,LastName,Email\ne1,"Doe, J",j@example.com\ne2,Roe,not-mail\n';
    expect((await api(fake, token, "PUT", `jobs/ingest/${job.id}/batches`, csv, "text/csv")).status).toBe(201);
    expect((await api(fake, token, "GET", `jobs/ingest/${job.id}/successfulResults`)).status).toBe(400);
    await api(fake, token, "PATCH", `jobs/ingest/${job.id}`, { state: "UploadComplete" });
    expect(((await api(fake, token, "GET", `jobs/ingest/${job.id}`)).json() as { state: string }).state).toBe(
      "InProgress",
    );
    expect(((await api(fake, token, "GET", `jobs/ingest/${job.id}`)).json() as { state: string }).state).toBe(
      "JobComplete",
    );
    const ok = await api(fake, token, "GET", `jobs/ingest/${job.id}/successfulResults`);
    expect(ok.headers.get("content-type")).toBe("text/csv");
    expect(ok.text).toContain('"true","e1","Doe, J","j@example.com"');
    const failed = await api(fake, token, "GET", `jobs/ingest/${job.id}/failedResults`);
    expect(failed.text).toContain(
      '"","INVALID_EMAIL_ADDRESS:Email: invalid email address: not-mail:Email --","e2","Roe","not-mail"',
    );
    expect(fake.records("Contact")).toEqual([expect.objectContaining({ External_Id__c: "e1", LastName: "Doe, J" })]);
  });

  it("refuses uploads over the byte limit and to closed jobs", async () => {
    const { fake, token } = await ready({ maxBulkBytes: 20 });
    const job = (await api(fake, token, "POST", "jobs/ingest", { object: "Contact", operation: "insert" })).json() as {
      id: string;
    };
    expect(
      (await api(fake, token, "PUT", `jobs/ingest/${job.id}/batches`, `LastName\n${"x".repeat(30)}`, "text/csv"))
        .status,
    ).toBe(400);
    await api(fake, token, "PATCH", `jobs/ingest/${job.id}`, { state: "Aborted" });
    expect((await api(fake, token, "PUT", `jobs/ingest/${job.id}/batches`, "LastName\nx\n", "text/csv")).status).toBe(
      400,
    );
  });
});

describe("Salesforce fake: typed fields", () => {
  it("refuses per record a value of the wrong type, a restricted picklist's unknown value, text too long", async () => {
    const fake = createSalesforceFake();
    const { body } = await login(fake);
    const lead = (values: Record<string, unknown>) => ({ attributes: { type: "Lead" }, Company: "C", ...values });
    const response = await api(fake, body.access_token!, "POST", "composite/sobjects", {
      allOrNone: false,
      records: [
        lead({ LastName: "A", NumberOfEmployees: "many" }),
        lead({ LastName: "B", Status: "Nope" }),
        lead({ LastName: "x".repeat(81) }),
        lead({ LastName: "D", NumberOfEmployees: "12", Status: "Open - Not Contacted" }),
      ],
    });
    const results = response.json() as Array<{ errors: Array<{ statusCode: string }> }>;
    expect(results.map((result) => result.errors[0]?.statusCode ?? "ok")).toEqual([
      "INVALID_TYPE_ON_FIELD_IN_RECORD",
      "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
      "STRING_TOO_LONG",
      "ok",
    ]);
  });
});
