export interface BrazeFakeOptions {
  /** The REST API key calls must carry (`Authorization: Bearer …`). */
  apiKey?: string;
  /** Permissions of that key (Braze: per key, per endpoint); default both. */
  permissions?: Array<"users.track" | "users.delete">;
  /** `/users/track` calls per clock-aligned window (Braze: 3,000 per 3 s per workspace). */
  rateLimit?: { requests: number; windowMs: number };
  /** `/users/delete` calls per window (Braze: 20,000 a minute, shared with other user endpoints). */
  deleteRateLimit?: { requests: number; windowMs: number };
  /** Attributes, events and purchases per `/users/track` call, combined (Braze: 75). */
  maxObjects?: number;
  /** Identifiers per `/users/delete` call (Braze: 50). */
  maxDeletes?: number;
  /** Added before every answer, in ms (or computed per request). */
  latencyMs?: number | ((request: Request) => number);
  /** Extra per-object validation: return a reason to refuse the attributes object by its index. */
  validate?: (attributes: Record<string, unknown>) => string | undefined;
}

export const FAKE_API_KEY = "a1b2c3d4-fake-braze-rest-key-0000";
