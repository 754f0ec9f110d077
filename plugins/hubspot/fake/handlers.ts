import { http } from "msw";
import { createHubSpotFake, type HubSpotFake } from "./fake.ts";
import type { HubSpotFakeOptions } from "./options.ts";

export const HUBSPOT_URL = "https://api.hubapi.com";

/** msw handlers that answer every request to `baseUrl` with the fake. */
export function hubspotHandlers(fake: HubSpotFake, baseUrl = HUBSPOT_URL) {
  return [http.all(`${baseUrl}/*`, ({ request }) => fake.fetch(request))];
}

/** A fake and its msw handlers, for `setupServer(...handlers)`. */
export function mockHubSpot(options: HubSpotFakeOptions = {}, baseUrl = HUBSPOT_URL) {
  const fake = createHubSpotFake(options);
  return { fake, handlers: hubspotHandlers(fake, baseUrl) };
}
