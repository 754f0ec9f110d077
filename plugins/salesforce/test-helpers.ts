import { setupServer } from "msw/node";
import type { DestinationRecord, WriteBatch } from "syncline/sdk";
import { makeDestinationContext, type TestContextOptions } from "syncline/sdk/testing";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createSalesforceFake, type SalesforceFake } from "./fake/fake.ts";
import { SALESFORCE_URL, salesforceHandlers } from "./fake/handlers.ts";
import { FAKE_CLIENT_ID, FAKE_CLIENT_SECRET, type SalesforceFakeOptions } from "./fake/options.ts";
import salesforce from "./index.ts";

/** An msw-backed fake org, fresh for every test (call `use()` for other options). */
export function useSalesforceFake() {
  const server = setupServer();
  const state: { fake: SalesforceFake } = { fake: createSalesforceFake() };
  const use = (options: SalesforceFakeOptions = {}) => {
    state.fake = createSalesforceFake(options);
    server.resetHandlers(...salesforceHandlers(state.fake));
    return state.fake;
  };
  beforeAll(() => server.listen({ onUnhandledFrame: "error" }));
  afterAll(() => server.close());
  beforeEach(() => {
    use();
  });
  return {
    server,
    use,
    get fake() {
      return state.fake;
    },
  };
}

export function context(config: Record<string, unknown> = {}, options: TestContextOptions = {}) {
  return makeDestinationContext(
    salesforce,
    { baseUrl: SALESFORCE_URL, clientId: FAKE_CLIENT_ID, clientSecret: FAKE_CLIENT_SECRET, bulk: "never", ...config },
    options,
  );
}

export function contact(key: string, fields: DestinationRecord["fields"] = {}, remoteId?: string): DestinationRecord {
  return { key, keyValues: { id: key }, fields: { External_Id__c: key, LastName: `Last ${key}`, ...fields }, remoteId };
}

export function batch(
  records: DestinationRecord[],
  operation: WriteBatch["operation"] = "upsert",
  object = "Contact",
): WriteBatch {
  return { object, operation, records, options: { externalIdField: "External_Id__c" } };
}

export function statuses(outcomes: Array<{ key: string; status: string }>): string[] {
  return outcomes.map((outcome) => `${outcome.key}:${outcome.status}`);
}
