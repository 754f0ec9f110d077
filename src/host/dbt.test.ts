import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resolveDbtModel } from "./dbt.ts";

const node = (pkg: string, name: string, extra: Record<string, unknown> = {}) => ({
  resource_type: "model",
  unique_id: `model.${pkg}.${name}${extra.version ? `.v${extra.version}` : ""}`,
  package_name: pkg,
  name,
  database: "ANALYTICS",
  schema: "MARTS",
  alias: null,
  config: { materialized: "table", enabled: true },
  ...extra,
});

const manifest = {
  metadata: { dbt_schema_version: "https://schemas.getdbt.com/dbt/manifest/v12.json", adapter_type: "snowflake" },
  nodes: {
    "model.shop.customers": node("shop", "customers", { alias: "dim_customers" }),
    "model.shop.orders": node("shop", "orders", { config: { materialized: "incremental" } }),
    "model.shop.stg_orders": node("shop", "stg_orders", { config: { materialized: "ephemeral" } }),
    "model.shop.orders_view": node("shop", "orders_view", { config: { materialized: "view" }, database: null }),
    "model.shop.accounts.v1": node("shop", "accounts", { version: 1, latest_version: 2, schema: "V1" }),
    "model.shop.accounts.v2": node("shop", "accounts", { version: 2, latest_version: 2, schema: "V2" }),
    "model.shop.events": node("shop", "events"),
    "model.audit.events": node("audit", "events", { schema: "AUDIT" }),
    "test.shop.not_null_customers_id": { resource_type: "test", name: "customers", package_name: "shop" },
    "seed.shop.countries": { resource_type: "seed", name: "countries", package_name: "shop", schema: "RAW" },
  },
  disabled: { "model.shop.legacy": [node("shop", "legacy", { config: { enabled: false, materialized: "table" } })] },
};

const dir = mkdtempSync(join(tmpdir(), "syncline-dbt-"));
const file = join(dir, "manifest.json");
writeFileSync(file, JSON.stringify(manifest));

describe("resolveDbtModel", () => {
  it("resolves a model to database, schema and alias", async () => {
    expect(await resolveDbtModel(file, "customers")).toEqual({
      database: "ANALYTICS",
      schema: "MARTS",
      name: "dim_customers",
    });
  });

  it("uses the name when there is no alias, and accepts incremental models and views", async () => {
    expect(await resolveDbtModel(file, "orders")).toEqual({ database: "ANALYTICS", schema: "MARTS", name: "orders" });
    expect(await resolveDbtModel(file, "orders_view")).toEqual({ schema: "MARTS", name: "orders_view" });
  });

  it("accepts a package-qualified name or a unique id, and needs one when names collide", async () => {
    expect(await resolveDbtModel(file, "audit.events")).toMatchObject({ schema: "AUDIT", name: "events" });
    expect(await resolveDbtModel(file, "model.shop.events")).toMatchObject({ schema: "MARTS" });
    await expect(resolveDbtModel(file, "events")).rejects.toMatchObject({
      kind: "configuration",
      code: "dbt_model_ambiguous",
      message: expect.stringContaining("model.audit.events"),
    });
  });

  it("picks the latest version of a versioned model unless a version is named", async () => {
    expect(await resolveDbtModel(file, "accounts")).toMatchObject({ schema: "V2" });
    expect(await resolveDbtModel(file, "accounts.v1")).toMatchObject({ schema: "V1" });
  });

  it("refuses an ephemeral model, naming it and the accepted materializations", async () => {
    await expect(resolveDbtModel(file, "stg_orders", { path: "syncs.orders.model.dbt" })).rejects.toMatchObject({
      kind: "configuration",
      code: "dbt_model_not_relation",
      path: "syncs.orders.model.dbt",
      message: expect.stringMatching(/"stg_orders".*ephemeral/),
      fix: expect.stringContaining("table, view, incremental"),
    });
  });

  it("says an unknown model is unknown, suggesting names, and ignores tests and seeds", async () => {
    await expect(resolveDbtModel(file, "customer")).rejects.toMatchObject({
      code: "dbt_model_unknown",
      path: "model.dbt",
      message: expect.stringContaining('"customer"'),
      fix: expect.stringContaining("customers"),
    });
    await expect(resolveDbtModel(file, "countries")).rejects.toMatchObject({ code: "dbt_model_unknown" });
  });

  it("says a disabled model is disabled", async () => {
    await expect(resolveDbtModel(file, "legacy")).rejects.toMatchObject({ code: "dbt_model_disabled" });
  });

  it("reports a missing or invalid manifest with the manifest's config path", async () => {
    await expect(
      resolveDbtModel(join(dir, "nope.json"), "customers", { manifestPath: "syncs.x.model.manifest" }),
    ).rejects.toMatchObject({
      code: "dbt_manifest_missing",
      path: "syncs.x.model.manifest",
    });
    const bad = join(dir, "bad.json");
    writeFileSync(bad, "[1,2]");
    await expect(resolveDbtModel(bad, "customers")).rejects.toMatchObject({ code: "dbt_manifest_invalid" });
  });
});
