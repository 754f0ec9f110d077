/** How one sObject type behaves in the fake. */
export interface FakeSObjectType {
  /** Fields marked External ID (usable in upsert URLs and jobs). */
  externalIdFields: string[];
  /** Fields required on create. */
  required?: string[];
  /** When set, any other field is refused with INVALID_FIELD. */
  fields?: string[];
  /** What describe reports for these fields (others: `string`, or `email` for names ending so). */
  describe?: Record<string, FakeFieldDescribe>;
}

/** A field as describe reports it. */
export interface FakeFieldDescribe {
  type: string;
  length?: number;
  restrictedPicklist?: boolean;
  picklistValues?: string[];
  defaultedOnCreate?: boolean;
}

/** Standard fields of the standard objects, typed as a real org describes them. */
const STANDARD_FIELDS: Record<string, Record<string, FakeFieldDescribe>> = {
  Account: {
    Name: { type: "string", length: 255 },
    NumberOfEmployees: { type: "int" },
    AnnualRevenue: { type: "currency" },
    Industry: { type: "picklist", picklistValues: ["Agriculture", "Banking", "Technology"] },
    Website: { type: "url", length: 255 },
    OwnerId: { type: "reference", defaultedOnCreate: true },
  },
  Contact: {
    FirstName: { type: "string", length: 40 },
    LastName: { type: "string", length: 80 },
    Email: { type: "email", length: 80 },
    Birthdate: { type: "date" },
    HasOptedOutOfEmail: { type: "boolean", defaultedOnCreate: true },
    LastCURequestDate: { type: "datetime" },
    OwnerId: { type: "reference", defaultedOnCreate: true },
  },
  Lead: {
    LastName: { type: "string", length: 80 },
    Company: { type: "string", length: 255 },
    Email: { type: "email", length: 80 },
    NumberOfEmployees: { type: "int" },
    Status: {
      type: "picklist",
      restrictedPicklist: true,
      picklistValues: ["Open - Not Contacted", "Working - Contacted", "Closed - Converted"],
      defaultedOnCreate: true,
    },
  },
};

export interface FakeRecordError {
  statusCode: string;
  message: string;
  fields?: string[];
}

export interface SalesforceFakeOptions {
  clientId?: string;
  clientSecret?: string;
  /** The user the JWT bearer flow must name (`sub`). */
  username?: string;
  /** PEM public key the JWT bearer flow's signatures are checked with (JWT flow refused without it). */
  publicKey?: string;
  /** What token responses give as `instance_url` (default: the origin the request came to). */
  instanceUrl?: string;
  /** An access token stops working after this many API calls (default: never). */
  tokenTtlCalls?: number;
  /**
   * The org's API request allocation: requests allowed in a rolling 24 hours (Salesforce:
   * 100,000 plus some per licence; default 100,000), answered beyond with 403
   * REQUEST_LIMIT_EXCEEDED "TotalRequests Limit exceeded." Every API answer carries
   * `Sforce-Limit-Info: api-usage=<used>/<max>`, and /limits reports DailyApiRequests.
   */
  dailyApiRequests?: number;
  /** Requests already made in the last 24 hours when the fake starts (to begin near the cap). */
  apiRequestsUsed?: number;
  /** The allocation over another rolling window than 24 hours (tests that need it to free up). */
  rateLimit?: { requests: number; windowMs: number };
  /** Records per sObject Collections call (Salesforce: 200). */
  maxCollection?: number;
  /** CSV bytes per ingest job (Salesforce: 150 MB). */
  maxBulkBytes?: number;
  /** Job-info reads that still show `InProgress` before a job is `JobComplete` (default 1). */
  bulkPolls?: number;
  /** The lowest API version served (sObject Collections upsert needs 46.0). */
  minApiVersion?: number;
  latencyMs?: number | ((request: Request) => number);
  objects?: Record<string, FakeSObjectType>;
  /** Per-record fault injection: return an error to refuse that record. */
  failRecord?: (sobject: string, values: Record<string, unknown>) => FakeRecordError | undefined;
}

export const DEFAULT_SOBJECTS: Record<string, FakeSObjectType> = {
  Account: { externalIdFields: ["External_Id__c"], required: ["Name"], describe: STANDARD_FIELDS.Account },
  Contact: { externalIdFields: ["External_Id__c"], required: ["LastName"], describe: STANDARD_FIELDS.Contact },
  Lead: { externalIdFields: ["External_Id__c"], required: ["LastName", "Company"], describe: STANDARD_FIELDS.Lead },
  Widget__c: { externalIdFields: ["Widget_Id__c"] },
};

export const FAKE_CLIENT_ID = "3MVG9fake.client.id";
export const FAKE_CLIENT_SECRET = "fake-client-secret";
export const FAKE_USERNAME = "integration@example.com";
