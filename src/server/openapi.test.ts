import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppHarness } from "../../test/server/support.ts";
import { openApiDocument } from "./openapi.ts";

type Operation = {
  operationId?: string;
  tags?: string[];
  summary?: string;
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const doc = openApiDocument() as {
  info: { license?: { name: string; identifier?: string } };
  tags: Array<{ name: string }>;
  servers: unknown[];
  paths: Record<string, Record<string, Operation>>;
};
const operations = Object.entries(doc.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => METHODS.includes(method))
    .map(([method, operation]) => ({ at: `${method.toUpperCase()} ${path}`, path, method, operation })),
);

/** Routes of the app that are pages, not API: the console, the docs page, the root redirect. */
const NOT_API = (path: string) => path === "/" || path === "/docs" || path === "/ui" || path.startsWith("/ui/");

describe("the OpenAPI document", () => {
  it("passes Redocly's recommended lint with no error and no warning", async () => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({
      source: JSON.stringify(doc, null, 2),
      absoluteRef: "/openapi.json",
      config,
    });
    const described = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`);
    expect(described).toEqual([]);
  });

  it("names its license and server and defines every tag its operations use", () => {
    expect(doc.info.license).toEqual({ name: "Apache-2.0", identifier: "Apache-2.0" });
    expect(doc.servers.length).toBeGreaterThan(0);
    const defined = new Set(doc.tags.map((tag) => tag.name));
    for (const { at, operation } of operations) {
      expect(operation.tags?.length, at).toBeGreaterThan(0);
      for (const tag of operation.tags!) expect(defined.has(tag), `${at}: tag ${tag}`).toBe(true);
    }
  });

  // New routes are caught here: each needs an operationId (generated clients name methods after
  // it) and a documented client error with the Error body (so their error type is typed).
  it("gives every operation a unique camelCase operationId, a summary and a 4xx with the Error body", () => {
    expect(operations.length).toBeGreaterThan(0);
    const ids = operations.map(({ operation }) => operation.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { at, operation } of operations) {
      expect(operation.operationId, at).toMatch(/^[a-z][A-Za-z0-9]+$/);
      expect(operation.summary, at).toBeTruthy();
      const clientErrors = Object.entries(operation.responses).filter(([status]) => /^4(\d\d|XX)$/.test(status));
      expect(clientErrors.length, `${at}: no 4xx response`).toBeGreaterThan(0);
      for (const [status, response] of clientErrors) {
        expect(response.content?.["application/json"]?.schema?.$ref, `${at} ${status}`).toBe(
          "#/components/schemas/Error",
        );
      }
    }
  });

  describe("matches the routes the app serves", () => {
    let t: AppHarness;
    beforeAll(async () => {
      t = await new AppHarness().setup();
    });
    afterAll(() => t?.close());

    it("documents every API route, and serves every documented operation", () => {
      const served = new Set(
        t.app.routes
          .filter((route) => route.method !== "ALL" && !NOT_API(route.path))
          .map((route) => `${route.method} ${route.path.replace(/:(\w+)(\{[^}]*\})?/g, "{$1}")}`),
      );
      const documented = new Set(operations.map(({ at }) => at));
      expect([...served].filter((route) => !documented.has(route)).sort(), "served but not documented").toEqual([]);
      expect([...documented].filter((route) => !served.has(route)).sort(), "documented but not served").toEqual([]);
    });
  });
});
