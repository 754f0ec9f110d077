import { TimeoutError } from "ky";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpClient } from "./http.ts";
import { type ServedFetch, serveFetch } from "./testing/serve.ts";

/** Answers `/slow` after half a second, anything else at once. */
let server: ServedFetch;
beforeAll(async () => {
  server = await serveFetch(async (request) => {
    if (new URL(request.url).pathname.endsWith("/slow")) await new Promise((resolve) => setTimeout(resolve, 500));
    return new Response("done");
  });
});
afterAll(() => server.close());

describe("createHttpClient", () => {
  it("times a call out after the timeout it is given, not a default of its own", async () => {
    const http = createHttpClient({ baseUrl: `${server.url}/api`, timeoutMs: 100 });
    await expect(http.get("slow").text()).rejects.toBeInstanceOf(TimeoutError);
    expect(await http.get("fast").text()).toBe("done");
  });

  it("refuses to guess a timeout a plain JavaScript caller left out", () => {
    expect(() => createHttpClient({ baseUrl: server.url } as never)).toThrow("createHttpClient needs timeoutMs");
  });

  it("waits as long as the answer takes when told `false`", async () => {
    const http = createHttpClient({ baseUrl: server.url, timeoutMs: false });
    expect(await http.get("slow").text()).toBe("done");
  });
});
