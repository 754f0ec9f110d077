/** What a fake route answers: JSON (`body`) or CSV (`csv`), and what the call log records. */
export interface Answer {
  status: number;
  body?: unknown;
  csv?: string;
  /** Records the call carried. */
  records: number;
  refused?: string | undefined;
}

/** Salesforce's REST error body: a list of `{message, errorCode}`. */
export function sfError(status: number, errorCode: string, message: string, records = 0, refused?: string): Answer {
  return { status, body: [{ message, errorCode }], records, refused };
}
