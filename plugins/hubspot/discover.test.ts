import { ConfigurationError } from "syncline/sdk";
import { describe, expect, it } from "vitest";
import hubspot from "./index.ts";
import { batch, context, fake, record, serveHubSpotFake } from "./test-kit.ts";

serveHubSpotFake();

describe("hubspot check and discover", () => {
  it("check() passes with a good token and throws a ConfigurationError for a bad one", async () => {
    await expect(hubspot.check(context())).resolves.toBeUndefined();
    await expect(hubspot.check(context({ accessToken: "bad" }))).rejects.toBeInstanceOf(ConfigurationError);
  });

  it("never puts the token in errors", async () => {
    const error = await hubspot.check(context({ accessToken: "pat-secret-123" })).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).not.toContain("pat-secret-123");
  });

  it("discovers standard and custom objects with their properties", async () => {
    await hubspot.write(context(), batch([record("1", { email: "a@example.com", firstname: "A" })]));
    const objects = (await hubspot.discover?.(context())) ?? [];
    expect(objects.map((object) => object.name)).toEqual(["contacts", "companies", "deals", "2-12345"]);
    expect(objects[0]?.fields.map((field) => field.name)).toEqual(expect.arrayContaining(["email", "firstname"]));
    expect(objects[0]?.fields.map((field) => field.name)).not.toContain("hs_object_id");
  });

  it("types properties in the SDK's vocabulary, with options, aliases and required properties", async () => {
    const objects = (await hubspot.discover?.(context())) ?? [];
    const contacts = Object.fromEntries((objects[0]?.fields ?? []).map((field) => [field.name, field]));
    expect(contacts.annualrevenue).toMatchObject({ type: "number", nativeType: "number" });
    expect(contacts.date_of_birth?.type).toBe("date");
    expect(contacts.last_order_at?.type).toBe("datetime");
    expect(contacts.newsletter_opt_in?.type).toBe("boolean");
    expect(contacts.lifecyclestage).toMatchObject({ type: "string", nativeType: "enumeration" });
    expect(contacts.lifecyclestage?.enum).toContain("customer");
    expect(contacts.createdate).toBeUndefined();
    expect(objects[0]?.aliases).toEqual(["0-1"]);
    const widgets = objects[3]!;
    expect(widgets.aliases).toEqual(["widgets", "p_widgets"]);
    expect(widgets.fields.find((field) => field.name === "widget_id")?.required).toBe(true);
  });

  it("describes only the objects asked for, in one call each", async () => {
    const before = fake.calls.length;
    const contacts = (await hubspot.discover?.(context(), { objects: ["contacts"] })) ?? [];
    expect(contacts.map((object) => object.name)).toEqual(["contacts"]);
    expect(fake.calls.length - before).toBe(1);
    const custom = (await hubspot.discover?.(context(), { objects: ["p_widgets"] })) ?? [];
    expect(custom.map((object) => object.name)).toEqual(["2-12345"]);
    expect(fake.calls.length - before).toBe(2);
  });

  it("refuses a value its property's type does not take, as HubSpot does", async () => {
    const outcomes = await hubspot.write(
      context(),
      batch([
        record("1", { email: "a@example.com", annualrevenue: "lots" }),
        record("2", { email: "b@example.com", date_of_birth: "2024-01-02T10:00:00Z" }),
        record("3", { email: "c@example.com", date_of_birth: "2024-01-02", annualrevenue: 5 }),
      ]),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual(["reject", "reject", "ok"]);
    expect(JSON.stringify(outcomes)).toContain("INVALID_FLOAT");
    expect(JSON.stringify(outcomes)).toContain("not at midnight UTC");
  });
});
