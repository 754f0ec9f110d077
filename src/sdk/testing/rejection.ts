import { isSynclineError, type SynclineError } from "../errors/syncline-error.ts";

/**
 * The SynclineError `promise` rejects with, for asserting on its kind, code and fix. Anything
 * else it rejects with is rethrown (a plugin must classify its errors), and a promise that
 * resolves fails the test.
 */
export async function rejection(promise: Promise<unknown>): Promise<SynclineError> {
  try {
    await promise;
  } catch (error) {
    if (isSynclineError(error)) return error;
    throw error;
  }
  throw new Error("expected a failure");
}
