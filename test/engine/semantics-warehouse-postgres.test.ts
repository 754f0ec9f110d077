import { describe } from "vitest";
import { postgresReachable } from "../../plugins/postgres/test-server.ts";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { runSemanticsSuite } from "./semantics-suite.ts";
import { warehouseDiffSuite } from "./warehouse-diff-suite.ts";

// postgresReachable() warns loudly when the server cannot be reached; only then is this skipped.
const reachable = await postgresReachable();

describe.skipIf(!reachable)("run semantics — warehouse diff inside Postgres", () => {
  runSemanticsSuite({ diff: "warehouse", backend: () => new PostgresBackend() });
});

describe.skipIf(!reachable)("warehouse mode — Postgres", () => {
  warehouseDiffSuite(() => new PostgresBackend());
});
