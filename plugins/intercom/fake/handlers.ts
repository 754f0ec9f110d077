import { http } from "msw";
import { createIntercomFake, type IntercomFake } from "./fake.ts";
import type { IntercomFakeOptions } from "./options.ts";

export const INTERCOM_URL = "https://api.intercom.io";

/** msw handlers that answer every request to `baseUrl` with the fake. */
export function intercomHandlers(fake: IntercomFake, baseUrl = INTERCOM_URL) {
  return [http.all(`${baseUrl}/*`, ({ request }) => fake.fetch(request))];
}

export function mockIntercom(options: IntercomFakeOptions = {}, baseUrl = INTERCOM_URL) {
  const fake = createIntercomFake(options);
  return { fake, handlers: intercomHandlers(fake, baseUrl) };
}
