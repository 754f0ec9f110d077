import { describe } from "vitest";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { requireService } from "../support/services.ts";
import { syncLogsSuite } from "./sync-logs-suite.ts";

// Skipped, loudly, when no Postgres answers; under CI=true that fails instead (test/support/services.ts).
const reachable = await requireService("postgres");

describe.skipIf(!reachable)("sync logs — Postgres, diff local", () =>
  syncLogsSuite(() => new PostgresBackend(), "local"),
);
describe.skipIf(!reachable)("sync logs — Postgres, diff in the warehouse", () =>
  syncLogsSuite(() => new PostgresBackend(), "warehouse"),
);
