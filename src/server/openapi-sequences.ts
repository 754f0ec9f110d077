import type { JsonSchema } from "@valibot/to-json-schema";
import type * as v from "valibot";
import { DEFAULTS } from "../config/defaults.ts";
import { idempotencyKey } from "./schemas.ts";
import * as q from "./sequence-schemas.ts";

type Json = Record<string, unknown>;
type SchemaOf = (schema: v.GenericSchema, typeMode?: "input" | "output") => JsonSchema;

interface Helpers {
  op(summary: string, params: Json[], responses: Record<number, Json>): Json;
  ref(name: string, description: string): Json;
  parameters(schema: v.GenericSchema, where: "path" | "query"): Json[];
  schemaOf: SchemaOf;
}

/** The components the sequence operations use. */
export function sequenceSchemas(schemaOf: SchemaOf): Record<string, JsonSchema> {
  return {
    SequenceTriggerOptions: schemaOf(q.sequenceTriggerBody, "input"),
    SequenceTriggerResponse: schemaOf(q.sequenceTriggerResponse),
    SequenceRun: schemaOf(q.sequenceRunSchema),
    SequenceList: schemaOf(q.sequenceList),
    SequenceDetail: schemaOf(q.sequenceDetail),
  };
}

/** /v1/sequences…: each operation with its operationId and its 4xx answers. */
export function sequencePaths({ op, ref, parameters, schemaOf }: Helpers): Record<string, Json> {
  const nameParam = parameters(q.sequencePath, "path");
  const unknown = ref("Error", "Unknown sequence");
  return {
    "/v1/sequences": {
      get: {
        operationId: "listSequences",
        ...op("List the sequences", [], { 200: ref("SequenceList", "The sequences") }),
      },
    },
    "/v1/sequences/{name}": {
      get: {
        operationId: "getSequence",
        ...op("A sequence: its syncs in order, schedule, last and recent runs", nameParam, {
          200: ref("SequenceDetail", "The sequence"),
          404: unknown,
        }),
      },
    },
    "/v1/sequences/{name}/runs": {
      post: {
        operationId: "triggerSequence",
        ...op(
          "Run the sequence: its syncs one after another, in order (refused while it runs)",
          [
            ...nameParam,
            ...parameters(q.sequenceTriggerQuery, "query"),
            { name: "Idempotency-Key", in: "header", required: false, schema: schemaOf(idempotencyKey, "input") },
          ],
          {
            200: ref("SequenceTriggerResponse", "With wait: the sequence ended within the wait"),
            202: ref("SequenceTriggerResponse", "The sequence run, started"),
            404: unknown,
            409: ref(
              "Error",
              "The sequence is already running (Location: that run), or the signed request was already accepted",
            ),
            413: ref("Error", `Body larger than ${DEFAULTS.server.bodyLimitBytes} bytes`),
            503: ref("Error", "Shutting down; see Retry-After"),
          },
        ),
        security: [{ bearer: [] }, { signature: [] }],
        requestBody: {
          required: false,
          content: { "application/json": { schema: { $ref: "#/components/schemas/SequenceTriggerOptions" } } },
        },
      },
    },
    "/v1/sequences/{name}/runs/{id}": {
      get: {
        operationId: "getSequenceRun",
        ...op(
          "A sequence run: its status and each member's run with its counts",
          parameters(q.sequenceRunPath, "path"),
          {
            200: ref("SequenceRun", "The sequence run"),
            404: ref("Error", "Unknown sequence, or no such run of it"),
          },
        ),
      },
    },
    "/v1/sequences/{name}/runs/{id}/cancel": {
      post: {
        operationId: "cancelSequenceRun",
        ...op(
          "Cancel a sequence run: its running member stops at its next batch boundary, no later member starts",
          parameters(q.sequenceRunPath, "path"),
          {
            202: ref("SequenceRun", "Stopping; the run ends cancelled"),
            404: ref("Error", "Unknown sequence, or no such run of it"),
            409: ref("Error", "The run already finished, or runs in another process"),
          },
        ),
      },
    },
  };
}
