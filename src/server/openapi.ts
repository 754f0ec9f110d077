import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type JsonSchema, toJsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { DEFAULTS } from "../config/defaults.ts";
import { PACKAGE_ROOT } from "../package-root.ts";
import { SIGNATURE_HEADER } from "./auth.ts";
import * as c from "./changelog-schemas.ts";
import { sequencePaths, sequenceSchemas } from "./openapi-sequences.ts";
import * as s from "./schemas.ts";

type Schema = v.GenericSchema;
type Json = Record<string, unknown>;

/** OpenAPI 3.1, generated from the same valibot schemas that validate requests. */
export function openApiDocument(): Json {
  const version = (
    JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
      version: string;
    }
  ).version;
  const components: Record<string, JsonSchema> = {
    TriggerOptions: schemaOf(s.triggerBody, "input"),
    TriggerResponse: schemaOf(s.triggerResponse),
    Run: schemaOf(s.runSchema),
    RunPage: schemaOf(s.runPage),
    SyncList: schemaOf(s.syncList),
    SyncDetail: schemaOf(s.syncDetail),
    FailurePage: schemaOf(s.failurePage),
    Error: schemaOf(s.errorSchema),
    Health: schemaOf(s.healthSchema),
    RecordHistory: schemaOf(c.recordHistory),
    RunRecordsPage: schemaOf(c.runRecordsPage),
    CallList: schemaOf(c.callList),
    ...sequenceSchemas(schemaOf),
  };
  const syncParam = parameters(s.syncPath, "path");
  const runParam = parameters(s.runPath, "path");
  return {
    openapi: "3.1.0",
    info: {
      title: "Syncline",
      version,
      description:
        "Reverse ETL as a service: trigger syncs, read their outcome and the retry ledger. Every /v1 route needs `Authorization: Bearer <token>`.",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: "/", description: "The service that serves this document" }],
    tags: [
      { name: "syncs", description: "The configured syncs and their triggers" },
      { name: "runs", description: "Runs: their outcome, and cancelling them" },
      { name: "failures", description: "The retry ledger" },
      { name: "changelog", description: "The record changelog and the API inspector (destination calls)" },
      { name: "sequences", description: "Sync sequences: ordered lists of syncs run as one" },
      { name: "system", description: "Probes, metrics and this document: no token needed" },
    ],
    security: [{ bearer: [] }],
    components: {
      schemas: components,
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        signature: {
          type: "apiKey",
          in: "header",
          name: SIGNATURE_HEADER,
          description:
            't=<unix seconds>,v2=<hex HMAC-SHA256 of "<t>\\n<METHOD>\\n<path?query>\\n<raw body>"> with server.hmacSecret; ' +
            `triggers only; the timestamp must be within ${DEFAULTS.server.hmacToleranceMs / 1000} s; ` +
            "each signature is accepted once",
        },
      },
    },
    paths: {
      "/v1/syncs": {
        get: op("listSyncs", "syncs", "List the syncs", [], { 200: ref("SyncList", "The configured syncs") }),
      },
      "/v1/syncs/{sync}": {
        get: op(
          "getSync",
          "syncs",
          "A sync: its config (no secrets), last run, ledger size, next scheduled run",
          syncParam,
          {
            200: ref("SyncDetail", "The sync"),
            404: ref("Error", "Unknown sync"),
          },
        ),
      },
      "/v1/syncs/{sync}/runs": {
        post: {
          ...op(
            "triggerRun",
            "syncs",
            "Start a run (a trigger during a run is queued; later ones with the same options join that queued run)",
            [
              ...syncParam,
              ...parameters(s.triggerQuery, "query"),
              { name: "Idempotency-Key", in: "header", required: false, schema: schemaOf(s.idempotencyKey, "input") },
            ],
            {
              200: ref("TriggerResponse", "With wait: the run ended within the wait"),
              202: ref("TriggerResponse", "The run, started or queued"),
              409: ref(
                "Error",
                "The Idempotency-Key was used with other options, or the signed request was already accepted",
              ),
              413: ref("Error", `Body larger than ${DEFAULTS.server.bodyLimitBytes} bytes`),
              429: ref("Error", "Too many runs queued; see Retry-After"),
              503: ref("Error", "Shutting down; see Retry-After"),
            },
          ),
          security: [{ bearer: [] }, { signature: [] }],
          requestBody: {
            required: false,
            content: { "application/json": { schema: { $ref: "#/components/schemas/TriggerOptions" } } },
          },
        },
        get: op(
          "listRuns",
          "runs",
          "The sync's runs, newest first",
          [...syncParam, ...parameters(s.runsQuery, "query")],
          {
            200: ref("RunPage", "A page of runs; pass `next` as `cursor` for the next page"),
          },
        ),
      },
      "/v1/syncs/{sync}/failures": {
        get: op(
          "listFailures",
          "failures",
          "The retry ledger: records that failed, with the destination's reasons",
          [...syncParam, ...parameters(s.failuresQuery, "query")],
          {
            200: {
              description: "A page of failures (JSON), or the whole ledger (CSV)",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/FailurePage" } },
                "text/csv": { schema: { type: "string" } },
              },
            },
          },
        ),
      },
      "/v1/syncs/{sync}/records/{key}": {
        get: op(
          "getRecordHistory",
          "changelog",
          "A record's changelog: every run that touched it, newest first, with outcome and reason",
          [...syncParam, ...parameters(c.recordPath, "path"), ...parameters(c.recordHistoryQuery, "query")],
          {
            200: ref("RecordHistory", "A page of the record's history; pass `next` as `cursor` for older runs"),
            400: ref("Error", "Invalid input (a key over 4096 characters, a bad cursor); `error.field` names it"),
            404: ref("Error", "Unknown sync"),
          },
        ),
      },
      "/v1/runs/{id}/records": {
        get: op(
          "listRunRecords",
          "changelog",
          "A run's records from the changelog: key, operation, outcome, code and reason, remote id, attempts",
          [...runParam, ...parameters(c.runRecordsQuery, "query")],
          {
            200: {
              description: "A page of records (JSON; pass `next` as `cursor`), or every matching row (CSV)",
              content: {
                "application/json": { schema: { $ref: "#/components/schemas/RunRecordsPage" } },
                "text/csv": { schema: { type: "string" } },
              },
            },
            400: ref("Error", "Invalid input (an unknown outcome, a bad cursor); `error.field` names it"),
            404: ref("Error", "Unknown run"),
          },
        ),
      },
      "/v1/destinations/{name}/calls": {
        get: op(
          "listDestinationCalls",
          "changelog",
          "The API inspector: the last calls to a destination, newest first (secrets removed)",
          [...parameters(c.destinationPath, "path"), ...parameters(c.callsQuery, "query")],
          {
            200: ref("CallList", "The calls kept (inspector.calls per destination)"),
            404: ref("Error", "No sync sends to a destination of that name"),
          },
        ),
      },
      "/v1/runs/{id}": {
        get: op("getRun", "runs", "A run: status, timings, counts, error", runParam, { 200: ref("Run", "The run") }),
      },
      "/v1/runs/{id}/cancel": {
        post: op(
          "cancelRun",
          "runs",
          "Cancel a run: queued at once, running at its next batch boundary (delivered records commit)",
          runParam,
          {
            200: ref("Run", "Cancelled"),
            202: ref("Run", "Stopping at the next batch boundary"),
            409: ref("Error", "The run already finished"),
          },
        ),
      },
      ...sequencePaths({ op: sequenceOp, ref, parameters, schemaOf }),
      "/healthz": { get: open("getHealth", "The process is alive", { 200: ref("Health", "Alive") }) },
      "/readyz": {
        get: open("getReadiness", "The state is open and migrated and the service takes runs", {
          200: ref("Health", "Ready"),
          503: ref("Health", "Not ready (starting or shutting down)"),
        }),
      },
      "/metrics": {
        get: open("getMetrics", "Prometheus metrics", {
          200: { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } },
        }),
      },
      "/openapi.json": { get: open("getOpenApiDocument", "This document", { 200: { description: "OpenAPI 3.1" } }) },
    },
  };
}

function schemaOf(schema: Schema, typeMode: "input" | "output" = "output"): JsonSchema {
  const { $schema: _ignored, ...rest } = toJsonSchema(schema, {
    target: "draft-2020-12",
    typeMode,
    errorMode: "ignore",
  }) as JsonSchema & { $schema?: string };
  return rest;
}

function parameters(schema: Schema, where: "path" | "query"): Json[] {
  const json = schemaOf(schema, "input") as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === "path" || (json.required ?? []).includes(name),
    description: (property as { description?: string }).description,
    schema: property,
  }));
}

function ref(name: string, description: string): Json {
  return { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } };
}

const COMMON: Record<number, Json> = {
  400: ref("Error", "Invalid input; `error.field` names the field"),
  401: ref("Error", "Missing or invalid credentials"),
  404: ref("Error", "Unknown sync or run"),
};

/**
 * A /v1 operation. Every operation has an operationId (generated clients name their methods
 * after it), a tag, and its 4xx answers with the Error body: openapi.test.ts walks them all.
 */
function op(operationId: string, tag: string, summary: string, params: Json[], responses: Record<number, Json>): Json {
  return { operationId, tags: [tag], summary, parameters: params, responses: { ...COMMON, ...responses } };
}

/** The sequence routes set their own operationId (openapi-sequences.ts). */
function sequenceOp(summary: string, params: Json[], responses: Record<number, Json>): Json {
  const { operationId: _, ...rest } = op("", "sequences", summary, params, responses);
  return rest;
}

/**
 * An unauthenticated route (probes, metrics, documents). It takes no input, so its only client
 * error is the app's own for a method or path it does not serve, with the Error body.
 */
function open(operationId: string, summary: string, responses: Record<string | number, Json>): Json {
  return {
    operationId,
    tags: ["system"],
    summary,
    security: [],
    responses: { ...responses, "4XX": ref("Error", "Not served: the error names the method and path") },
  };
}
