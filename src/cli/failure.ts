import { isSynclineError } from "../sdk/errors/syncline-error.ts";

/**
 * Reports an error on stderr and gives the exit status: 2 for configuration (the user must
 * change something), 1 otherwise. A known error is one line with its fix; only an error nobody
 * anticipated (a bug) prints its stack.
 */
export function reportFailure(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (isSynclineError(error)) {
    stderr.write(`syncline: ${error.describe()}\n`);
    return error.kind === "configuration" ? 2 : 1;
  }
  stderr.write(`syncline: unexpected error: ${(error as Error).stack ?? String(error)}\n`);
  return 1;
}
