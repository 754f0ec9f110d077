/** How one object type behaves in the fake. */
export interface FakeObjectType {
  /** HubSpot's id for the type, for example `0-1` for contacts or `2-12345` for a custom object. */
  objectTypeId: string;
  /** Properties with unique values, usable as `idProperty`. */
  uniqueProperties: string[];
  /** Properties `batch/create` requires. */
  required?: string[];
  /**
   * The object's defined properties, as `GET /crm/v3/properties/{object}` describes them;
   * values of a typed property are validated as HubSpot does (numbers, dates at midnight UTC,
   * booleans, an enumeration's options). Properties written that are not defined here are
   * described as strings once seen.
   */
  properties?: Record<string, FakeProperty>;
}

export interface FakeProperty {
  /** HubSpot's property type: string, number, date, datetime, enumeration, bool, phone_number. */
  type: string;
  /** How the property is edited: `select`/`radio` (one option), `checkbox` (several, `a;b`), `text`. */
  fieldType?: string;
  /** An enumeration's option values. */
  options?: string[];
  /** HubSpot's own properties that the API cannot write (created dates, computed values). */
  readOnly?: boolean;
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

const text: FakeProperty = { type: "string", fieldType: "text" };
const number: FakeProperty = { type: "number", fieldType: "number" };
const created: FakeProperty = { type: "datetime", fieldType: "date", readOnly: true };

/** A few standard properties of each type, as a portal defines them. */
const CONTACT_PROPERTIES: Record<string, FakeProperty> = {
  email: text,
  firstname: text,
  lastname: text,
  phone: { type: "phone_number", fieldType: "phonenumber" },
  external_id: text,
  lifecyclestage: {
    type: "enumeration",
    fieldType: "radio",
    options: ["subscriber", "lead", "marketingqualifiedlead", "opportunity", "customer"],
  },
  date_of_birth: { type: "date", fieldType: "date" },
  annualrevenue: number,
  newsletter_opt_in: { type: "bool", fieldType: "booleancheckbox", options: ["true", "false"] },
  last_order_at: { type: "datetime", fieldType: "date" },
  createdate: created,
};

export const DEFAULT_OBJECTS: Record<string, FakeObjectType> = {
  contacts: { objectTypeId: "0-1", uniqueProperties: ["email", "external_id"], properties: CONTACT_PROPERTIES },
  companies: {
    objectTypeId: "0-2",
    uniqueProperties: ["external_id"],
    properties: {
      name: text,
      domain: text,
      external_id: text,
      numberofemployees: number,
      industry: { type: "enumeration", fieldType: "select", options: ["SOFTWARE", "RETAIL", "BANKING"] },
      createdate: created,
    },
  },
  deals: {
    objectTypeId: "0-3",
    uniqueProperties: ["external_id"],
    properties: {
      dealname: text,
      external_id: text,
      amount: number,
      closedate: { type: "datetime", fieldType: "date" },
    },
  },
  p_widgets: {
    objectTypeId: "2-12345",
    uniqueProperties: ["widget_id"],
    required: ["widget_id"],
    properties: { widget_id: text, size: number },
  },
};

export const FAKE_TOKEN = "pat-na1-fake-token";
