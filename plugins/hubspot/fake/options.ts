/** How one object type behaves in the fake. */
export interface FakeObjectType {
  /** HubSpot's id for the type, for example `0-1` for contacts or `2-12345` for a custom object. */
  objectTypeId: string;
  /** Properties with unique values, usable as `idProperty`. */
  uniqueProperties: string[];
  /** Properties `batch/create` requires. */
  required?: string[];
}

export interface HubSpotFakeOptions {
  /** The token calls must carry (`Authorization: Bearer …`). */
  accessToken?: string;
  /** Requests allowed in any rolling window (HubSpot: 190 per 10 s on professional private apps). */
  rateLimit?: { requests: number; windowMs: number };
  /**
   * API calls allowed per day (HubSpot: 250,000 to 1,000,000 by tier; default 1,000,000),
   * counted until midnight in `timeZone`, answered beyond with 429 `policyName: DAILY` (no
   * Retry-After: HubSpot does not say when it resets).
   */
  dailyLimit?: number;
  /** Calls already made today when the fake starts (to begin near the daily limit). */
  dailyUsed?: number;
  /** The account's time zone, whose midnight resets the daily count (default UTC). */
  timeZone?: string;
  /** Inputs per batch call (HubSpot: 100). */
  maxBatch?: number;
  /** Added before every answer, in ms (or computed per request). */
  latencyMs?: number | ((request: Request) => number);
  /**
   * How invalid records are answered: `multi-status` (207 with `errors[]`, the default) or
   * `reject-batch` (400 for the whole call, as HubSpot does on some endpoints).
   */
  invalidMode?: "multi-status" | "reject-batch";
  /** Object types by name (`contacts`, `companies`, `deals` and `p_widgets` = `2-12345` by default). */
  objects?: Record<string, FakeObjectType>;
  /** Extra per-record validation: return a message to refuse the record. */
  validate?: (object: string, properties: Record<string, string>) => string | undefined;
}

export const DEFAULT_OBJECTS: Record<string, FakeObjectType> = {
  contacts: { objectTypeId: "0-1", uniqueProperties: ["email", "external_id"] },
  companies: { objectTypeId: "0-2", uniqueProperties: ["external_id"] },
  deals: { objectTypeId: "0-3", uniqueProperties: ["external_id"] },
  p_widgets: { objectTypeId: "2-12345", uniqueProperties: ["widget_id"], required: ["widget_id"] },
};

export const FAKE_TOKEN = "pat-na1-fake-token";
