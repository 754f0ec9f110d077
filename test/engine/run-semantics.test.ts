import { describe } from "vitest";
import { runSemanticsSuite } from "./semantics-suite.ts";

describe("run semantics — local diff (SQLite snapshot), DuckDB model", () => {
  runSemanticsSuite({ diff: "local" });
});
