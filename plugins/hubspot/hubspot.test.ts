import { HttpResponse, http } from "msw";
import { ConfigurationError, PermanentError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import { HUBSPOT_URL } from "./fake/handlers.ts";
import hubspot from "./index.ts";
import { batch, context, fake, record, serveHubSpotFake, server, useFake } from "./test-kit.ts";

// Rate limits and quotas: rate-limit.test.ts; check and discover: discover.test.ts.
serveHubSpotFake();

describe("hubspot upsert", () => {
  it("sends one batch/upsert by email and returns the HubSpot ids", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com", firstname: "A" }), record("2", { email: "b@example.com", age: 3 })]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["ok", "ok"]);
    const held = fake.records("contacts");
    expect(outcomes.map((outcome) => (outcome.status === "ok" ? outcome.remoteId : ""))).toEqual(
      held.map((item) => item.id),
    );
    expect(held[1]?.properties.age).toBe("3");
    expect(fake.calls.map((call) => call.path)).toEqual(["/crm/v3/objects/contacts/batch/upsert"]);
  });

  it("maps a 207 multi-status back to the failing record with HubSpot's message", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("good", { email: "ok@example.com" }),
        record("bad", { email: "nope" }),
        record("also", { email: "c@example.com" }),
      ]),
    );
    expect(outcomes.map((outcome) => [outcome.key, outcome.status])).toEqual([
      ["good", "ok"],
      ["bad", "reject"],
      ["also", "ok"],
    ]);
    const bad = outcomes[1];
    expect(bad?.status === "reject" && bad.code).toBe("VALIDATION_ERROR");
    expect(bad?.status === "reject" && bad.message).toContain("Email address nope is invalid");
  });

  it("maps errors by context.ids when HubSpot echoes no objectWriteTraceId", async () => {
    server.use(
      http.post(`${HUBSPOT_URL}/crm/v3/objects/contacts/batch/upsert`, () =>
        HttpResponse.json(
          {
            status: "COMPLETE",
            results: [{ id: "51", properties: { email: "x@example.com" } }],
            errors: [
              {
                status: "error",
                category: "VALIDATION_ERROR",
                message: "bad phone",
                context: { ids: ["Y@Example.com"] },
              },
            ],
          },
          { status: 207 },
        ),
      ),
    );
    const outcomes = await hubspot.write(
      context(),
      batch([record("y", { email: "Y@Example.com", phone: "x" }), record("x", { email: "X@example.com" })]),
    );
    expect(outcomes).toEqual([
      { key: "y", status: "reject", code: "VALIDATION_ERROR", message: "bad phone" },
      { key: "x", status: "ok", remoteId: "51" },
    ]);
  });

  it("rejects records without an id value and duplicates before calling HubSpot", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("1", { firstname: "no email" }),
        record("2", { email: "d@example.com" }),
        record("3", { email: "D@example.com" }),
      ]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:reject", "2:ok", "3:reject"]);
    expect(outcomes[0]?.status === "reject" && outcomes[0].message).toContain('"email"');
    expect(fake.calls[0]?.records).toBe(1);
  });

  it("needs an idProperty for objects other than contacts", async () => {
    await expect(
      hubspot.write(context(), batch([record("1", { name: "Acme" })], "upsert", "companies")),
    ).rejects.toBeInstanceOf(ConfigurationError);
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { external_id: "e1", name: "Acme" })], "upsert", "companies", { idProperty: "external_id" }),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(fake.records("companies")[0]?.properties).toMatchObject({ external_id: "e1", name: "Acme" });
  });

  it("writes custom objects by type id", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([record("w", { widget_id: "w-1", size: 2 })], "upsert", "2-12345", { idProperty: "widget_id" }),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(fake.records("p_widgets")).toHaveLength(1);
  });

  it("throws a PermanentError when HubSpot refuses a whole multi-record batch, rejects a single record", async () => {
    useFake({ invalidMode: "reject-batch" });
    const records = [record("1", { email: "ok@example.com" }), record("2", { email: "broken" })];
    const error = await hubspot.write(context(), batch(records)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as PermanentError).message).toContain("Email address broken is invalid");
    const single = await hubspot.write(context(), batch([record("2", { email: "broken" })]));
    expect(single[0]).toMatchObject({ key: "2", status: "reject", code: "VALIDATION_ERROR" });
  });
});

describe("hubspot update, insert and delete", () => {
  it("updates by remote id, or by idProperty, and rejects records with neither", async () => {
    const ctx = context();
    const [created] = await hubspot.write(ctx, batch([record("1", { email: "a@example.com" })]));
    const remoteId = created?.status === "ok" ? created.remoteId : undefined;
    await hubspot.write(ctx, batch([record("2", { email: "b@example.com" })]));
    const outcomes = await hubspot.write(
      ctx,
      batch(
        [
          record("1", { firstname: "By id" }, remoteId),
          record("2", { email: "B@example.com", firstname: "By email" }),
          record("3", { firstname: "Nobody" }),
          record("4", { email: "ghost@example.com" }),
        ],
        "update",
      ),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual([
      "1:ok",
      "2:ok",
      "3:reject",
      "4:reject",
    ]);
    expect(outcomes[3]).toMatchObject({ code: "OBJECT_NOT_FOUND" });
    expect(fake.records("contacts").map((item) => item.properties.firstname)).toEqual(["By id", "By email"]);
  });

  it("inserts with batch/create and maps conflicts per record", async () => {
    const ctx = context();
    await hubspot.write(ctx, batch([record("0", { email: "taken@example.com" })]));
    const outcomes = await hubspot.write(
      ctx,
      batch([record("1", { email: "new@example.com" }), record("2", { email: "taken@example.com" })], "insert"),
    );
    expect(outcomes[0]?.status).toBe("ok");
    expect(outcomes[1]).toMatchObject({ status: "reject", code: "CONFLICT" });
    expect(fake.calls.at(-1)?.path).toBe("/crm/v3/objects/contacts/batch/create");
  });

  it("archives by remote id, finds ids by email otherwise, and treats unknown records as gone", async () => {
    const ctx = context();
    const written = await hubspot.write(
      ctx,
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    const remoteId = written[0]?.status === "ok" ? written[0].remoteId : undefined;
    const outcomes = await hubspot.write(
      ctx,
      batch(
        [
          record("1", {}, remoteId),
          record("2", { email: "b@example.com" }),
          record("3", { email: "never@example.com" }),
          record("4", {}),
        ],
        "delete",
      ),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:ok", "2:ok", "3:ok", "4:reject"]);
    expect(fake.records("contacts")).toHaveLength(0);
    expect(fake.calls.slice(-2).map((call) => call.path)).toEqual([
      "/crm/v3/objects/contacts/batch/read",
      "/crm/v3/objects/contacts/batch/archive",
    ]);
  });
});

describe("hubspot confirms a record only when HubSpot names it", () => {
  const at = (action: string) => (request: Request) => request.url.endsWith(`/batch/${action}`);

  it("retries records when the results cannot be tied to them, however many there are", async () => {
    fake.fail({
      status: 200,
      match: at("upsert"),
      body: {
        status: "COMPLETE",
        results: [
          { id: "901", properties: {} },
          { id: "902", properties: {} },
        ],
      },
    });
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:retry", "2:retry"]);
  });

  it("retries a record HubSpot reports both a result and an error for", async () => {
    fake.fail({
      status: 207,
      match: at("upsert"),
      body: {
        status: "COMPLETE",
        results: [
          { id: "901", objectWriteTraceId: "0", properties: { email: "a@example.com" } },
          { id: "902", objectWriteTraceId: "1", properties: { email: "b@example.com" } },
        ],
        errors: [
          { status: "error", category: "VALIDATION_ERROR", message: "bad", context: { objectWriteTraceId: ["1"] } },
        ],
      },
    });
    const outcomes = await hubspot.write(
      context(),
      batch([record("1", { email: "a@example.com" }), record("2", { email: "b@example.com" })]),
    );
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["1:ok", "2:retry"]);
  });

  it("takes a record to archive as gone only when HubSpot's read reports it not found", async () => {
    fake.fail({ status: 200, match: at("read"), body: { status: "COMPLETE", results: [] } });
    const outcomes = await hubspot.write(context(), batch([record("3", { email: "c@example.com" })], "delete"));
    expect(outcomes.map((outcome) => `${outcome.key}:${outcome.status}`)).toEqual(["3:retry"]);
  });
});

describe("partial updates (sendChangedFieldsOnly)", () => {
  it("declares them, and names the idProperty as the field every record carries", () => {
    const caps = typeof hubspot.capabilities === "function" ? hubspot.capabilities({} as never) : hubspot.capabilities;
    expect(caps.partialUpdate).toBe(true);
    expect(hubspot.identifyingFields?.("contacts", {})).toEqual(["email"]);
    expect(hubspot.identifyingFields?.("companies", { idProperty: "domain" })).toEqual(["domain"]);
    expect(hubspot.identifyingFields?.("deals", {})).toEqual([]);
  });
});
