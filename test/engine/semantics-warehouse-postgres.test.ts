import { describe } from "vitest";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { requireService } from "../support/services.ts";
import { runSemanticsSuite } from "./semantics-suite.ts";
import { warehouseDiffSuite } from "./warehouse-diff-suite.ts";

// Skipped, loudly, when no Postgres answers; under CI=true that fails instead (test/support/services.ts).
const reachable = await requireService("postgres");

describe.skipIf(!reachable)("run semantics — warehouse diff inside Postgres", () => {
  runSemanticsSuite({ diff: "warehouse", backend: () => new PostgresBackend() });
});

describe.skipIf(!reachable)("warehouse mode — Postgres", () => {
  warehouseDiffSuite(() => new PostgresBackend());
});
