import { afterEach, expect, it } from "vitest";
import { AppHarness } from "../../../test/server/support.ts";

let t: AppHarness;
afterEach(() => t?.close());

it("loads the console at its first request; requests keep the route label they had (/ui/*)", async () => {
  t = await new AppHarness().setup();
  const signIn = await t.request("/ui/sign-in", { token: null, headers: { "sec-fetch-site": "same-origin" } });
  expect(signIn.status).toBe(200);
  expect(await signIn.text()).toContain("<form");
  expect((await t.request("/ui/assets/console.css", { token: null })).status).toBe(200);
  expect((await t.request("/ui", { token: null })).status).toBe(303);
  const metrics = await t.metrics.render();
  expect(metrics).toContain('syncline_http_request_duration_seconds_count{method="GET",route="/ui/*",status="200"} 2');
});
