import * as v from "valibot";

const SECRET = { syncline: { secret: true } } as const;

/**
 * Marks a config field as secret: `token: v.pipe(v.string(), secret())`.
 * Secret values are redacted from logs, errors, API responses and never stored in state.
 */
export function secret<TInput>() {
  return v.metadata<TInput, typeof SECRET>(SECRET);
}

/** The names of an object schema's fields that are marked secret. */
export function secretKeys(schema: v.GenericSchema): string[] {
  const entries = (schema as { entries?: Record<string, v.GenericSchema> }).entries;
  if (!entries) return [];
  return Object.entries(entries)
    .filter(([, entry]) => isSecret(entry))
    .map(([key]) => key);
}

/** The values of a parsed object's secret fields (strings, and the strings inside secret records). */
export function secretValues(schema: v.GenericSchema, parsed: unknown): string[] {
  const values: string[] = [];
  for (const key of secretKeys(schema)) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value === "string" && value.length > 0) values.push(value);
    if (value && typeof value === "object") {
      for (const inner of Object.values(value)) if (typeof inner === "string" && inner.length > 0) values.push(inner);
    }
  }
  return values;
}

function isSecret(schema: unknown): boolean {
  const node = schema as { pipe?: unknown[]; wrapped?: unknown; type?: string; metadata?: unknown };
  if (node.type === "metadata") {
    return (node.metadata as typeof SECRET | undefined)?.syncline?.secret === true;
  }
  if (node.wrapped && isSecret(node.wrapped)) return true;
  return Array.isArray(node.pipe) && node.pipe.some((item) => item !== schema && isSecret(item));
}
