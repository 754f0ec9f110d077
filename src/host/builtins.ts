import { join } from "node:path";

const PLUGINS = join(import.meta.dirname, "..", "..", "plugins");

/**
 * The connectors that ship with Syncline. They are loaded exactly like third-party plugins
 * (by module path, checked structurally), only when a config uses them, so a sidecar that
 * syncs from DuckDB never loads the Snowflake SDK.
 */
export const BUILTIN_PLUGINS: Readonly<Record<string, string>> = {
  duckdb: join(PLUGINS, "duckdb", "index.ts"),
  postgres: join(PLUGINS, "postgres", "index.ts"),
  snowflake: join(PLUGINS, "snowflake", "index.ts"),
  bigquery: join(PLUGINS, "bigquery", "index.ts"),
  file: join(PLUGINS, "file", "index.ts"),
  webhook: join(PLUGINS, "webhook", "index.ts"),
  hubspot: join(PLUGINS, "hubspot", "index.ts"),
  salesforce: join(PLUGINS, "salesforce", "index.ts"),
  intercom: join(PLUGINS, "intercom", "index.ts"),
};
