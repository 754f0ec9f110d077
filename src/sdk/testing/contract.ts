import * as v from "valibot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_VERSION, type DestinationRecord, type Outcome, type WriteBatch } from "../destination.ts";
import { ConfigurationError } from "../errors/configuration-error.ts";
import { RateLimitError } from "../errors/rate-limit-error.ts";
import { isSynclineError, type SynclineError } from "../errors/syncline-error.ts";
import { secretKeys } from "../secret.ts";
import { makeDestinationContext, parseDestinationConfig, resolveCapabilities } from "./context.ts";
import type { ContractServer, DestinationContractOptions } from "./contract-options.ts";
import { fieldBytes, notOk, outcomeProblems } from "./outcome-checks.ts";
import { deadUrl, serveStatus } from "./status-server.ts";

const OPERATIONS = new Set(["upsert", "update", "insert", "delete"]);

/**
 * Registers vitest checks that a destination plugin keeps Syncline's contract: valid config
 * and capabilities, one outcome per record, idempotent upserts, full batches accepted,
 * classified errors, bad credentials reported as configuration errors.
 */
export function runDestinationContract<TConfig, TServer extends ContractServer = ContractServer>(
  options: DestinationContractOptions<TConfig, TServer>,
): void {
  const { plugin, object } = options;
  const operation = options.operation ?? "upsert";
  const identify = options.identify ?? ((record: DestinationRecord) => record.key);

  describe(`destination contract: ${options.name ?? plugin.name}`, () => {
    let server: TServer | undefined;
    let baseUrl = options.baseUrl ?? "";

    beforeAll(async () => {
      if (options.makeServer) {
        server = await options.makeServer();
        baseUrl = server.url;
      }
      if (!baseUrl) throw new Error("runDestinationContract needs `makeServer` or `baseUrl`");
    });
    afterAll(async () => {
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
      expect(plugin.kind).toBe("destination");
      expect(plugin.apiVersion).toBe(API_VERSION);
      expect(plugin.name).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
      expect(typeof plugin.check).toBe("function");
      expect(typeof plugin.write).toBe("function");
    });

    it("accepts the config with its schema", () => {
      const result = v.safeParse(plugin.config, { ...options.config, baseUrl });
      expect(result.success, result.success ? "" : v.summarize(result.issues)).toBe(true);
    });

    if (options.secrets) {
      const secrets = options.secrets;
      it("marks secret config fields with secret()", () => {
        expect(secretKeys(plugin.config)).toEqual(expect.arrayContaining(secrets));
      });
    }

    if (plugin.syncOptions) {
      const schema = plugin.syncOptions;
      it("accepts the sync options with its syncOptions schema", () => {
        const result = v.safeParse(schema, options.syncOptions ?? {});
        expect(result.success, result.success ? "" : v.summarize(result.issues)).toBe(true);
      });
    }

    it("declares sane capabilities", () => {
      const caps = capabilities();
      expect(caps.operations.length).toBeGreaterThan(0);
      for (const op of caps.operations) expect(OPERATIONS.has(op), `unknown operation ${op}`).toBe(true);
      expect(caps.operations).toContain(operation);
      expect(Number.isInteger(caps.maxRecords) && caps.maxRecords > 0, "maxRecords must be a positive integer").toBe(
        true,
      );
      if (caps.maxBytes !== undefined) expect(caps.maxBytes).toBeGreaterThan(0);
      if (caps.rateLimit) {
        expect(caps.rateLimit.requests).toBeGreaterThan(0);
        expect(caps.rateLimit.windowMs).toBeGreaterThan(0);
      }
      if (caps.concurrency !== undefined) expect(caps.concurrency).toBeGreaterThanOrEqual(1);
      if (caps.timeoutMs !== undefined) expect(caps.timeoutMs).toBeGreaterThan(0);
    });

    it("passes check() with the working config", async () => {
      await expect(plugin.check(context())).resolves.toBeUndefined();
    });

    it("returns exactly one valid outcome per record, all ok for valid records", async () => {
      const records = options.sampleRecords;
      const outcomes = await plugin.write(context(), batch(records));
      expect(outcomeProblems(records, outcomes)).toEqual([]);
      expect(notOk(outcomes)).toEqual([]);
    });

    if (operation !== "insert") {
      it("writes the same batch twice idempotently", async () => {
        const ctx = context();
        const first = await plugin.write(ctx, batch(options.sampleRecords));
        expect(notOk(first)).toEqual([]);
        const again = options.sampleRecords.map((record) => ({ ...record, remoteId: remoteIdOf(first, record.key) }));
        const second = await plugin.write(ctx, batch(again));
        expect(outcomeProblems(again, second)).toEqual([]);
        expect(notOk(second)).toEqual([]);
        for (const record of again) {
          const id = remoteIdOf(second, record.key);
          if (record.remoteId !== undefined && id !== undefined)
            expect(id, `remote id of ${record.key}`).toBe(record.remoteId);
        }
        if (options.readBack) {
          const held = await options.readBack(server);
          for (const record of options.sampleRecords) {
            const identity = identify(record);
            expect(held.filter((item) => item === identity).length, `copies of ${identity}`).toBe(1);
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
      expect(outcomeProblems(records, outcomes)).toEqual([]);
      expect(notOk(outcomes)).toEqual([]);
    });

    it("throws a transient SynclineError when the destination answers 503", async () => {
      const failing = await serveStatus(503);
      try {
        const error = await thrown(plugin.write(context(options.config, failing.url), batch(options.sampleRecords)));
        expect(isSynclineError(error), `not a SynclineError: ${String(error)}`).toBe(true);
        expect((error as SynclineError).kind).toBe("transient");
      } finally {
        await failing.close();
      }
    });

    it("throws a RateLimitError honouring Retry-After when the destination answers 429", async () => {
      const limited = await serveStatus(429, { "retry-after": "1" });
      try {
        const error = await thrown(plugin.write(context(options.config, limited.url), batch(options.sampleRecords)));
        expect(error, `not a RateLimitError: ${String(error)}`).toBeInstanceOf(RateLimitError);
        const wait = (error as RateLimitError).retryAfterMs ?? 0;
        expect(wait).toBeGreaterThanOrEqual(1000);
        expect(wait).toBeLessThanOrEqual(2000);
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
          expect(isSynclineError(result.error), `not a SynclineError: ${String(result.error)}`).toBe(true);
        } else {
          expect(outcomeProblems(records, result.outcomes)).toEqual([]);
          expect(result.outcomes.every((outcome) => outcome.status === "reject")).toBe(true);
        }
      } finally {
        await refusing.close();
      }
    });

    it("throws a transient SynclineError when the destination is unreachable", async () => {
      const url = await deadUrl();
      const error = await thrown(plugin.write(context(options.config, url), batch(options.sampleRecords)));
      expect(isSynclineError(error), `not a SynclineError: ${String(error)}`).toBe(true);
      expect((error as SynclineError).kind).toBe("transient");
    });

    it("check() throws a ConfigurationError for a bad credential", async () => {
      const error = await thrown(plugin.check(context(options.badConfig)));
      expect(error, `not a ConfigurationError: ${String(error)}`).toBeInstanceOf(ConfigurationError);
    });

    it("write() throws a ConfigurationError for a bad credential", async () => {
      const error = await thrown(plugin.write(context(options.badConfig), batch(options.sampleRecords)));
      expect(error, `not a ConfigurationError: ${String(error)}`).toBeInstanceOf(ConfigurationError);
    });

    if (capabilitiesInclude(options, "delete")) {
      it("deletes what it wrote (mirror mode)", async () => {
        const ctx = context();
        const written = await plugin.write(ctx, batch(options.sampleRecords));
        expect(notOk(written)).toEqual([]);
        const deletions = options.sampleRecords.map((record) => ({
          key: record.key,
          keyValues: record.keyValues,
          fields: {},
          remoteId: remoteIdOf(written, record.key),
        }));
        const outcomes = await plugin.write(ctx, batch(deletions, "delete"));
        expect(outcomeProblems(deletions, outcomes)).toEqual([]);
        expect(notOk(outcomes)).toEqual([]);
        if (options.readBack) {
          const held = await options.readBack(server);
          for (const record of options.sampleRecords) expect(held).not.toContain(identify(record));
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
    const config = parseDestinationConfig(options.plugin, options.config, options.baseUrl ?? "http://127.0.0.1");
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
