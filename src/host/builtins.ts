import { codeModule } from "../package-root.ts";

const entry = (name: string, file = "index") => codeModule("plugins", name, file);

/**
 * The connectors that ship with Syncline. They are loaded exactly like third-party plugins
 * (by module path, checked structurally), only when a config uses them, so a sidecar that
 * syncs from DuckDB never loads the Snowflake SDK.
 */
export const BUILTIN_PLUGINS: Readonly<Record<string, string>> = {
  duckdb: entry("duckdb"),
  postgres: entry("postgres"),
  snowflake: entry("snowflake"),
  bigquery: entry("bigquery"),
  file: entry("file"),
  webhook: entry("webhook"),
  hubspot: entry("hubspot"),
  salesforce: entry("salesforce"),
  intercom: entry("intercom"),
  braze: entry("braze"),
};

/**
 * Destinations that share a built-in source's name (a database is both a warehouse and a
 * place to write tables): `type: postgres` under `destinations:` loads these instead.
 */
export const BUILTIN_DESTINATIONS: Readonly<Record<string, string>> = {
  postgres: entry("postgres", "destination"),
  mysql: entry("mysql"),
};
