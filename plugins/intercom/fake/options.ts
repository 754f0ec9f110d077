export interface IntercomFakeOptions {
  accessToken?: string;
  /** Calls allowed per clock-aligned window (Intercom: 10,000 a minute in 10 s windows ≈ 1,666). */
  rateLimit?: { requests: number; windowMs: number };
  latencyMs?: number | ((request: Request) => number);
  /**
   * When set, custom attributes outside this list are refused (as Intercom refuses unknown
   * ones). A list names string attributes; a record gives each attribute's data type, and a
   * value of another type is refused as Intercom does.
   */
  customAttributes?: string[] | Record<string, IntercomDataType>;
  /** Extra per-contact validation: return a message to refuse it with 400 parameter_invalid. */
  validate?: (contact: Record<string, unknown>) => string | undefined;
}

export type IntercomDataType = "string" | "integer" | "float" | "boolean" | "date";

/** The custom attributes' data types, by name (a plain list means strings). */
export function customTypes(options: IntercomFakeOptions): Record<string, IntercomDataType> | undefined {
  const declared = options.customAttributes;
  if (!declared) return undefined;
  if (Array.isArray(declared)) return Object.fromEntries(declared.map((name) => [name, "string" as const]));
  return declared;
}

/** Whether Intercom takes `value` for an attribute of `type` (null clears any attribute). */
export function fitsType(type: IntercomDataType, value: unknown): boolean {
  if (value === null) return true;
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
    case "date":
      return typeof value === "number" && Number.isInteger(value);
    case "float":
      return typeof value === "number";
    case "boolean":
      return typeof value === "boolean";
  }
}

export const FAKE_TOKEN = "dG9rOmZha2UtaW50ZXJjb20tdG9rZW4=";
