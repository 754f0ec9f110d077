import * as v from "valibot";
import { afterEach, describe, expect, it } from "vitest";
import postgres from "../../plugins/postgres/index.ts";
import { adminQuery, TEST_POSTGRES_URL } from "../../plugins/postgres/test-server.ts";
import type { SourceDefinition } from "../../src/sdk/source.ts";
import { SyncLogStore } from "../../src/state/sync-log-store.ts";
import { uniqueName } from "../support/backends.ts";
import { Harness, people } from "../support/harness.ts";
import { PostgresBackend } from "../support/postgres-backend.ts";
import { requireService } from "../support/services.ts";
import { warnings } from "../support/warning-logger.ts";

/** The harness's Postgres, read by a role that may read the model but create nothing. */
class RestrictedBackend extends PostgresBackend {
  readonly role = uniqueName("sl_reader");

  override async open(): Promise<void> {
    await super.open();
    await adminQuery(`CREATE ROLE ${this.role} LOGIN; GRANT USAGE ON SCHEMA ${this.schema} TO ${this.role};
      ALTER DEFAULT PRIVILEGES IN SCHEMA ${this.schema} GRANT SELECT ON TABLES TO ${this.role}`);
  }

  override source() {
    const url = new URL(TEST_POSTGRES_URL);
    url.username = this.role;
    url.searchParams.set("options", `-c search_path=${this.schema}`);
    return { plugin: postgres as SourceDefinition<unknown>, config: v.parse(postgres.config, { url: url.toString() }) };
  }

  grantCreate(): Promise<unknown> {
    return adminQuery(
      `DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${this.role}', current_database()); END $$`,
    );
  }

  override async close(): Promise<void> {
    await super.close();
    await adminQuery(`DROP OWNED BY ${this.role} CASCADE; DROP ROLE ${this.role}`);
  }
}

const reachable = await requireService("postgres");

describe.skipIf(!reachable)("sync logs — a Postgres role without the right to create the log schema", () => {
  let harness: Harness | undefined;
  afterEach(async () => harness?.close());

  it("warns with the fix, keeps the load pending, the run succeeds; once granted, the next run loads both", async () => {
    const backend = new RestrictedBackend();
    const logger = warnings();
    harness = new Harness({ backend: () => backend, logger, syncLogs: { schema: backend.diffSchema } });
    const h = await harness.setup();
    await h.sql(people(1, 5));
    const first = await h.run();
    await h.engine.syncLogsSettled();
    expect(first.status).toBe("succeeded");
    expect(h.destination.records.size).toBe(5);
    const warning = logger.warned.find((w) => String(w.msg).includes("could not load the sync logs"))!;
    expect(warning.msg).toContain(`into schema "${backend.diffSchema}" of source "warehouse"`);
    expect(warning.msg).toContain("may create and write tables there");
    expect(String((warning.obj as { err: string }).err)).toMatch(/permission denied/i);
    expect(new SyncLogStore(h.state.sqlite).pending("people")).toMatchObject([{ runId: first.id, attempts: 1 }]);

    await backend.grantCreate();
    const second = await h.run();
    await h.engine.syncLogsSettled();
    expect(second.status).toBe("succeeded");
    const runs = await backend.rows(`SELECT run_id FROM ${backend.diffSchema}.sync_runs ORDER BY run_id`);
    expect(runs.map((row) => row.run_id)).toEqual([first.id, second.id]);
    expect(new SyncLogStore(h.state.sqlite).count()).toBe(0);
  });
});
