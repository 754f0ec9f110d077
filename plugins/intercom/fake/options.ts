export interface IntercomFakeOptions {
  accessToken?: string;
  /** Calls allowed per clock-aligned window (Intercom: 10,000 a minute in 10 s windows ≈ 1,666). */
  rateLimit?: { requests: number; windowMs: number };
  latencyMs?: number | ((request: Request) => number);
  /** When set, custom attributes outside this list are refused (as Intercom refuses unknown ones). */
  customAttributes?: string[];
  /** Extra per-contact validation: return a message to refuse it with 400 parameter_invalid. */
  validate?: (contact: Record<string, unknown>) => string | undefined;
}

export const FAKE_TOKEN = "dG9rOmZha2UtaW50ZXJjb20tdG9rZW4=";
