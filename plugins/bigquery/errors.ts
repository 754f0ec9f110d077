import { ConfigurationError, type SynclineError, TransientError } from "syncline/sdk";

interface GoogleError {
  code?: unknown;
  errors?: Array<{ reason?: string }>;
  response?: { status?: number; data?: { error?: unknown } };
}

const NETWORK = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);
const PERMISSIONS =
  "grant the service account roles/bigquery.jobUser on the project and roles/bigquery.dataViewer on the model's datasets";

/** BigQuery error reasons (ErrorProto.reason) and what to do. */
const CONFIG_REASONS: Record<string, string> = {
  invalidQuery: "correct the model's SQL (GoogleSQL), its table names or the mapped columns",
  invalid: "correct the model or the BigQuery source's options",
  notFound:
    "the project, dataset or table does not exist in this `location`: correct the model, `projectId` or `location`",
  accessDenied: PERMISSIONS,
  billingNotEnabled: "enable billing on `projectId`, or run the jobs in a project that has it",
  billingTierLimitExceeded: "the query needs a higher billing tier; simplify the model",
  bytesBilledLimitExceeded: "the query would bill more than `maximumBytesBilled`; raise it or make the model cheaper",
  responseTooLarge: "the model's rows are too large; select fewer or smaller columns",
  notImplemented: "the model uses a feature BigQuery does not support here",
};
const TRANSIENT_REASONS = new Set([
  "backendError",
  "internalError",
  "rateLimitExceeded",
  "jobRateLimitExceeded",
  "quotaExceeded",
  "jobBackendError",
  "tableUnavailable",
]);

/**
 * Classifies errors from @google-cloud/bigquery and google-auth-library by BigQuery's error
 * reason, the OAuth error code, the HTTP status or the socket error code. Never by message text.
 */
export function classifyBigQueryError(error: unknown, what: string): SynclineError {
  const details = (error ?? {}) as GoogleError;
  const message = `${what} failed: ${error instanceof Error ? error.message : String(error)}`;
  const reason = details.errors?.find((item) => item.reason)?.reason ?? "";
  const status = typeof details.code === "number" ? details.code : (details.response?.status ?? 0);
  const oauth = typeof details.response?.data?.error === "string" ? details.response.data.error : "";
  const config = (code: string, fix: string) => new ConfigurationError(message, { code, fix, cause: error });
  const transient = (code: string, fix?: string) => new TransientError(message, { code, fix, cause: error });

  if (reason === "stopped") return transient("cancelled");
  if (reason === "timeout")
    return transient("query_timeout", "the job hit `queryTimeoutMs`; raise it or make the model faster");
  if (CONFIG_REASONS[reason]) return config(reason, CONFIG_REASONS[reason]);
  if (TRANSIENT_REASONS.has(reason)) return transient(reason);
  if (oauth) {
    return oauth === "temporarily_unavailable" || status >= 500
      ? transient("oauth")
      : config(
          oauth,
          "the service-account key was refused: check `credentials`/`keyFilename` (a current key of an enabled account)",
        );
  }
  if (status === 401)
    return config("unauthenticated", "check `credentials` or `keyFilename`, or the Application Default Credentials");
  if (status === 403) return config("forbidden", PERMISSIONS);
  if (status === 404) return config("not_found", CONFIG_REASONS.notFound!);
  if (status === 408 || status === 429 || status >= 500) return transient(`http_${status}`);
  const code = socketCode(error);
  if (code === "ENOTFOUND")
    return config("host_not_found", "the API host does not resolve: check `apiEndpoint` and DNS");
  if (NETWORK.has(code))
    return transient("network", "check the network path to BigQuery (proxy, firewall, `apiEndpoint`)");
  if (status >= 400) return config(`http_${status}`, "BigQuery refused the request; see the message");
  return config("unexpected", "unexpected BigQuery error; see the message");
}

function socketCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === "object"; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}
