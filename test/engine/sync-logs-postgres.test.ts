import { describe } from "vitest";
import { postgresReachable } from "../../plugins/postgres/test-server.ts";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { syncLogsSuite } from "./sync-logs-suite.ts";

// postgresReachable() warns loudly when the server cannot be reached (and fails in CI).
const reachable = await postgresReachable();

describe.skipIf(!reachable)("sync logs — Postgres, diff local", () =>
  syncLogsSuite(() => new PostgresBackend(), "local"),
);
describe.skipIf(!reachable)("sync logs — Postgres, diff in the warehouse", () =>
  syncLogsSuite(() => new PostgresBackend(), "warehouse"),
);
