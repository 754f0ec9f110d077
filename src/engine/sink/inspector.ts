import type { SynclineError } from "../../sdk/errors/syncline-error.ts";
import type { DestinationCallRow } from "../../state/call-store.ts";
import type { Redact } from "../ledger/redact-error.ts";

/** How many calls per destination the API inspector keeps, and whether it keeps bodies. */
export interface InspectorSettings {
  calls: number;
  bodies: boolean;
}

/** Where the inspector writes (the engine's CallBuffer, written with the batch commits). */
export interface CallLog {
  record(call: DestinationCallRow, keep: number): void;
  /** Writes the calls recorded so far inside the caller's transaction (the batch commit), to its writer. */
  appendPending?(sink?: { append(call: DestinationCallRow, keep: number): void }): void;
}

/** What one write call is part of. */
export interface InspectTarget {
  log: CallLog;
  settings: InspectorSettings;
  destination: string;
  redact: Redact;
  runId: string;
  batch: number;
}

/** Bodies are kept up to this many characters (when enabled). */
export const BODY_MAX_CHARS = 4096;
/** Query parameters whose values are masked in recorded URLs, whatever their value. */
const SECRET_PARAM = /token|key|secret|passw|auth|sig|credential|session|code/i;

/**
 * The API inspector for one `write` call: ctx.http is wrapped so that every HTTP request the
 * plugin makes is recorded (method, URL without secrets, status, duration, sizes; bodies only
 * when enabled, cut and redacted; headers never, so Authorization never is). A write that made
 * no HTTP request (file, database destinations) is recorded as one call for the batch.
 */
export class Inspection {
  private readonly target: InspectTarget;
  private httpCalls = 0;
  private finished = false;

  constructor(target: InspectTarget) {
    this.target = target;
  }

  /** A fetch that records each request it sends through `next`. */
  wrap(next: typeof fetch): typeof fetch {
    return (input, init) => this.fetch(input, init, next);
  }

  /** After the write: one call for the whole batch when the plugin made no HTTP request. */
  finish(info: { method: string; object: string; ms: number; requestBytes: number; error?: SynclineError }): void {
    if (this.httpCalls > 0 || this.finished) return;
    this.finished = true;
    this.record({
      at: Date.now() - Math.round(info.ms),
      method: info.method.toUpperCase(),
      url: `${this.target.destination}:${info.object}`,
      status: null,
      ms: Math.round(info.ms),
      requestBytes: info.requestBytes,
      responseBytes: 0,
      error: info.error ? this.clip(info.error.describe()) : null,
      requestBody: null,
      responseBody: null,
    });
  }

  private async fetch(input: RequestInfo | URL, init: RequestInit | undefined, next: typeof fetch): Promise<Response> {
    this.httpCalls++;
    const request = input instanceof Request ? input : new Request(input, init);
    const at = Date.now();
    const started = performance.now();
    const sent = await this.sentBody(request);
    const base = {
      at,
      method: request.method,
      url: safeUrl(request.url, this.target.redact),
      requestBytes: sent.bytes,
      requestBody: this.keep(sent.body),
    };
    let response: Response;
    try {
      // ky passes its non-request options (a dispatcher…) as `init` beside the Request: keep them.
      response = await next(request, input instanceof Request ? init : undefined);
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      const reason = error instanceof Error ? error.message : String(error);
      this.record({ ...base, status: null, ms, responseBytes: 0, error: this.clip(reason), responseBody: null });
      throw error;
    }
    const ms = Math.round(performance.now() - started);
    // The body is measured from a copy as the plugin reads it: recording never delays the call.
    void response
      .clone()
      .arrayBuffer()
      .then(
        (bytes) => bytes,
        () => undefined,
      )
      .then((bytes) =>
        this.record({
          ...base,
          status: response.status,
          ms,
          responseBytes: bytes?.byteLength ?? 0,
          error: null,
          responseBody: this.keep(bytes),
        }),
      );
    return response;
  }

  private record(call: Omit<DestinationCallRow, "destination" | "runId" | "batch">): void {
    const { log, settings, destination, runId, batch } = this.target;
    try {
      log.record({ ...call, destination, runId, batch }, settings.calls);
    } catch {
      // The call log is a diagnostic: a busy or full state file never fails or blocks a sync.
    }
  }

  /**
   * The request body's size, and its bytes when bodies are kept, from a copy of its stream:
   * counted chunk by chunk otherwise, never gathered nor decoded (a batch's body can be large).
   */
  private async sentBody(request: Request): Promise<{ bytes: number; body?: ArrayBuffer }> {
    if (!request.body) return { bytes: 0 };
    const copy = request.clone();
    if (this.target.settings.bodies) {
      const body = await copy.arrayBuffer();
      return { bytes: body.byteLength, body };
    }
    let bytes = 0;
    const reader = copy.body!.getReader();
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
    return { bytes };
  }

  /** A body as the inspector keeps it (when it keeps bodies): text, credentials masked, cut. */
  private keep(bytes: ArrayBuffer | undefined): string | null {
    if (!this.target.settings.bodies || !bytes?.byteLength) return null;
    return this.clip(maskCredentials(new TextDecoder().decode(bytes)));
  }

  private clip(text: string): string {
    const masked = this.target.redact(text.length > 4 * BODY_MAX_CHARS ? text.slice(0, 4 * BODY_MAX_CHARS) : text);
    return masked.length > BODY_MAX_CHARS
      ? `${masked.slice(0, BODY_MAX_CHARS)}… (cut; ${text.length} characters)`
      : masked;
  }
}

/** Names of body fields whose values are credentials, whatever they hold (an OAuth answer's access_token). */
const CREDENTIAL_FIELD =
  "(?:access_token|refresh_token|id_token|token|password|client_secret|secret|api_?key|authorization)";
const JSON_CREDENTIAL = new RegExp(`("${CREDENTIAL_FIELD}"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, "gi");
const FORM_CREDENTIAL = new RegExp(`(^|&)(${CREDENTIAL_FIELD})=[^&]*`, "gi");

/**
 * A body with credential fields masked: JSON string values and form values of fields named like
 * a credential. Configured secrets are redacted after this, wherever they are.
 */
export function maskCredentials(body: string): string {
  return body.replace(JSON_CREDENTIAL, '$1"***"').replace(FORM_CREDENTIAL, "$1$2=***");
}

/** The URL without user info, with secret-looking or secret-holding query values masked, then redacted. */
export function safeUrl(raw: string, redact: Redact): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return redact(raw);
  }
  url.username = "";
  url.password = "";
  for (const name of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(name);
    if (SECRET_PARAM.test(name) || values.some((value) => redact(value) !== value)) url.searchParams.set(name, "***");
  }
  return redact(url.toString());
}
