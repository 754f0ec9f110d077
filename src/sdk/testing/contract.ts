import assert from "node:assert/strict";
import * as v from "valibot";
import { API_VERSION, type DestinationRecord, type Outcome, type WriteBatch } from "../destination.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { RateLimitError } from "../errors/rate-limit-error.ts";
import { isSynclineError, type SynclineError } from "../errors/syncline-error.ts";
import { secretKeys } from "../secret.ts";
import { makeDestinationContext, parseDestinationConfig, resolveCapabilities } from "./context.ts";
import type { ContractServer, DestinationContractOptions } from "./contract-options.ts";
import { fieldBytes, notOk, outcomeProblems } from "./outcome-checks.ts";
import { currentRunner } from "./runner.ts";
import { deadUrl, serveStatus } from "./status-server.ts";

const OPERATIONS = new Set(["upsert", "update", "insert", "delete"]);

/**
 * Registers checks that a destination plugin keeps Syncline's contract: valid config and
 * capabilities, one outcome per record, idempotent upserts, full batches accepted, classified
 * errors, bad credentials reported as configuration errors. Call it at the top level of a
 * test file run by vitest or by `node --test`.
 */
export function runDestinationContract<TConfig, TServer extends ContractServer = ContractServer>(
  options: DestinationContractOptions<TConfig, TServer>,
): void {
  const { plugin, object } = options;
  const operation = options.operation ?? "upsert";
  const identify = options.identify ?? ((record: DestinationRecord) => record.key);
  const http = options.http ?? true;
  const { describe, it, before, after } = currentRunner();

  describe(`destination contract: ${options.name ?? plugin.name}`, () => {
    let server: TServer | undefined;
    let baseUrl = options.baseUrl ?? "";

    before(async () => {
      if (options.makeServer) {
        server = await options.makeServer();
        baseUrl = server.url;
      }
      if (!baseUrl && http) throw new Error("runDestinationContract needs `makeServer` or `baseUrl`");
    });
    after(async () => {
      await server?.close();
    });

    const context = (config: Record<string, unknown> = options.config, url = baseUrl) =>
      makeDestinationContext(plugin, config, { baseUrl: url });
    const batch = (records: DestinationRecord[], op: WriteBatch["operation"] = operation): WriteBatch => ({
      object,
      operation: op,
      records,
      options: options.syncOptions ?? {},
    });
    const capabilities = () => resolveCapabilities(plugin, parseDestinationConfig(plugin, options.config, baseUrl));

    it("is made with defineDestination", () => {
      assert.equal(plugin.kind, "destination");
      assert.equal(plugin.apiVersion, API_VERSION);
      assert.match(plugin.name, /^[a-z0-9][a-z0-9._-]*$/);
      assert.equal(typeof plugin.check, "function");
      assert.equal(typeof plugin.write, "function");
    });

    it("accepts the config with its schema", () => {
      const result = v.safeParse(plugin.config, http ? { ...options.config, baseUrl } : options.config);
      assert.ok(result.success, result.success ? "" : v.summarize(result.issues));
    });

    if (options.secrets) {
      const secrets = options.secrets;
      it("marks secret config fields with secret()", () => {
        const marked = secretKeys(plugin.config);
        assert.deepEqual(
          secrets.filter((key) => !marked.includes(key)),
          [],
          "these config fields are not marked secret()",
        );
      });
    }

    if (plugin.syncOptions) {
      const schema = plugin.syncOptions;
      it("accepts the sync options with its syncOptions schema", () => {
        const result = v.safeParse(schema, options.syncOptions ?? {});
        assert.ok(result.success, result.success ? "" : v.summarize(result.issues));
      });
    }

    it("declares sane capabilities", () => {
      const caps = capabilities();
      assert.ok(caps.operations.length > 0, "operations must not be empty");
      for (const op of caps.operations) assert.ok(OPERATIONS.has(op), `unknown operation ${op}`);
      assert.ok(caps.operations.includes(operation), `operations must include ${operation}`);
      assert.ok(Number.isInteger(caps.maxRecords) && caps.maxRecords > 0, "maxRecords must be a positive integer");
      if (caps.maxBytes !== undefined) assert.ok(caps.maxBytes > 0, "maxBytes must be positive");
      if (caps.rateLimit) {
        assert.ok(caps.rateLimit.requests > 0, "rateLimit.requests must be positive");
        assert.ok(caps.rateLimit.windowMs > 0, "rateLimit.windowMs must be positive");
      }
      if (caps.concurrency !== undefined) assert.ok(caps.concurrency >= 1, "concurrency must be at least 1");
      if (caps.timeoutMs !== undefined) assert.ok(caps.timeoutMs > 0, "timeoutMs must be positive");
    });

    it("passes check() with the working config", async () => {
      assert.equal(await plugin.check(context()), undefined);
    });

    it("returns exactly one valid outcome per record, all ok for valid records", async () => {
      const records = options.sampleRecords;
      const outcomes = await plugin.write(context(), batch(records));
      assert.deepEqual(outcomeProblems(records, outcomes), []);
      assert.deepEqual(notOk(outcomes), []);
    });

    if (operation !== "insert") {
      it("writes the same batch twice idempotently", async () => {
        const ctx = context();
        const first = await plugin.write(ctx, batch(options.sampleRecords));
        assert.deepEqual(notOk(first), []);
        const again = options.sampleRecords.map((record) => ({ ...record, remoteId: remoteIdOf(first, record.key) }));
        const second = await plugin.write(ctx, batch(again));
        assert.deepEqual(outcomeProblems(again, second), []);
        assert.deepEqual(notOk(second), []);
        for (const record of again) {
          const id = remoteIdOf(second, record.key);
          if (record.remoteId !== undefined && id !== undefined)
            assert.equal(id, record.remoteId, `remote id of ${record.key}`);
        }
        if (options.readBack) {
          const held = await options.readBack(server);
          for (const record of options.sampleRecords) {
            const identity = identify(record);
            assert.equal(held.filter((item) => item === identity).length, 1, `copies of ${identity}`);
          }
        }
      });
    }

    it("accepts a full batch of maxRecords (within maxBytes)", async () => {
      const caps = capabilities();
      const records: DestinationRecord[] = [];
      let bytes = 0;
      for (let index = 0; index < caps.maxRecords; index++) {
        const record = options.makeRecord(index);
        bytes += fieldBytes(record);
        if (caps.maxBytes !== undefined && bytes > caps.maxBytes) break;
        records.push(record);
      }
      const outcomes = await plugin.write(context(), batch(records));
      assert.deepEqual(outcomeProblems(records, outcomes), []);
      assert.deepEqual(notOk(outcomes), []);
    });

    if (http) {
      it("throws a transient SynclineError when the destination answers 503", async () => {
        const failing = await serveStatus(503);
        try {
          const error = await thrown(plugin.write(context(options.config, failing.url), batch(options.sampleRecords)));
          assert.ok(isSynclineError(error), `not a SynclineError: ${String(error)}`);
          assert.equal((error as SynclineError).kind, "transient");
        } finally {
          await failing.close();
        }
      });

      it("throws a RateLimitError honouring Retry-After when the destination answers 429", async () => {
        const limited = await serveStatus(429, { "retry-after": "1" });
        try {
          const error = await thrown(plugin.write(context(options.config, limited.url), batch(options.sampleRecords)));
          assert.ok(error instanceof RateLimitError, `not a RateLimitError: ${String(error)}`);
          const wait = error.retryAfterMs ?? 0;
          assert.ok(wait >= 1000 && wait <= 2000, `retryAfterMs ${wait} does not honour Retry-After: 1`);
        } finally {
          await limited.close();
        }
      });

      it("throws a SynclineError, or rejects the records, when the destination answers 400", async () => {
        const refusing = await serveStatus(400);
        try {
          const records = options.sampleRecords;
          const result = await plugin.write(context(options.config, refusing.url), batch(records)).then(
            (outcomes) => ({ outcomes }),
            (error: unknown) => ({ error }),
          );
          if ("error" in result) {
            assert.ok(isSynclineError(result.error), `not a SynclineError: ${String(result.error)}`);
          } else {
            assert.deepEqual(outcomeProblems(records, result.outcomes), []);
            assert.ok(
              result.outcomes.every((outcome) => outcome.status === "reject"),
              "every record must be rejected",
            );
          }
        } finally {
          await refusing.close();
        }
      });
    }

    it("throws a transient SynclineError when the destination is unreachable", async () => {
      if (!http && !options.unreachableConfig) throw new Error("with `http: false`, give `unreachableConfig`");
      const unreachable = http ? context(options.config, await deadUrl()) : context(options.unreachableConfig);
      const error = await thrown(plugin.write(unreachable, batch(options.sampleRecords)));
      assert.ok(isSynclineError(error), `not a SynclineError: ${String(error)}`);
      assert.equal((error as SynclineError).kind, "transient");
    });

    it("check() throws a ConfigurationError for a bad credential", async () => {
      const error = await thrown(plugin.check(context(options.badConfig)));
      assert.ok(error instanceof ConfigurationError, `not a ConfigurationError: ${String(error)}`);
    });

    it("write() throws a ConfigurationError for a bad credential", async () => {
      const error = await thrown(plugin.write(context(options.badConfig), batch(options.sampleRecords)));
      assert.ok(error instanceof ConfigurationError, `not a ConfigurationError: ${String(error)}`);
    });

    if (capabilitiesInclude(options, "delete")) {
      it("deletes what it wrote (mirror mode)", async () => {
        const ctx = context();
        const written = await plugin.write(ctx, batch(options.sampleRecords));
        assert.deepEqual(notOk(written), []);
        const deletions = options.sampleRecords.map((record) => ({
          key: record.key,
          keyValues: record.keyValues,
          fields: {},
          remoteId: remoteIdOf(written, record.key),
        }));
        const outcomes = await plugin.write(ctx, batch(deletions, "delete"));
        assert.deepEqual(outcomeProblems(deletions, outcomes), []);
        assert.deepEqual(notOk(outcomes), []);
        if (options.readBack) {
          const held = await options.readBack(server);
          for (const record of options.sampleRecords) {
            assert.ok(!held.includes(identify(record)), `${identify(record)} is still held after its delete`);
          }
        }
      });
    }
  });
}

function remoteIdOf(outcomes: readonly Outcome[], key: string): string | undefined {
  const outcome = outcomes.find((item) => item.key === key);
  return outcome?.status === "ok" ? outcome.remoteId : undefined;
}

function capabilitiesInclude<TConfig, TServer extends ContractServer>(
  options: DestinationContractOptions<TConfig, TServer>,
  op: "delete",
): boolean {
  try {
    const baseUrl = options.http === false ? undefined : (options.baseUrl ?? "http://127.0.0.1");
    const config = parseDestinationConfig(options.plugin, options.config, baseUrl);
    return resolveCapabilities(options.plugin, config).operations.includes(op);
  } catch {
    return false;
  }
}

async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw, but it succeeded");
}
