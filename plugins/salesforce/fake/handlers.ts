import { http } from "msw";
import { createSalesforceFake, type SalesforceFake } from "./fake.ts";
import type { SalesforceFakeOptions } from "./options.ts";

/** Where the msw fake lives: both the login server and the org's instance. */
export const SALESFORCE_URL = "https://fake.my.salesforce.com";

/** msw handlers that answer every request to `baseUrl` with the fake. */
export function salesforceHandlers(fake: SalesforceFake, baseUrl = SALESFORCE_URL) {
  return [http.all(`${baseUrl}/*`, ({ request }) => fake.fetch(request))];
}

export function mockSalesforce(options: SalesforceFakeOptions = {}, baseUrl = SALESFORCE_URL) {
  const fake = createSalesforceFake(options);
  return { fake, handlers: salesforceHandlers(fake, baseUrl) };
}
