import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

export type Gc = (options: { type: "major"; execution: "sync"; flavor: "last-resort" }) => void;

/**
 * V8's gc() without starting Node with --expose-gc: the flag is set, a fresh context gets the
 * function, and the flag is unset so no other context sees it. Undefined where the runtime does
 * not allow it (Deno): the caller then simply keeps what V8 keeps.
 */
export function memoryReducingGc(): Gc | undefined {
  const exposed = (globalThis as { gc?: unknown }).gc;
  if (typeof exposed === "function") return exposed as Gc;
  try {
    setFlagsFromString("--expose-gc");
    const gc: unknown = runInNewContext("gc");
    setFlagsFromString("--no-expose-gc");
    return typeof gc === "function" ? (gc as Gc) : undefined;
  } catch {
    return undefined;
  }
}
