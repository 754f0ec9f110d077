import { http } from "msw";
import type { BrazeFake } from "./fake.ts";

export const BRAZE_URL = "https://rest.iad-01.braze.com";

/** msw handlers that answer every request to `baseUrl` with the fake. */
export function brazeHandlers(fake: BrazeFake, baseUrl = BRAZE_URL) {
  return [http.all(`${baseUrl}/*`, ({ request }) => fake.fetch(request))];
}
