import { accessSync, constants, readFileSync } from "node:fs";

/** The part of Deno's API this file uses (its types are not part of this Node project). */
export interface DenoApi {
  build: { os: string };
  execPath(): string;
  permissions: { querySync(descriptor: { name: string }): { state: string } };
  dlopen(
    path: string,
    symbols: { execve: { parameters: ["buffer", "buffer", "buffer"]; result: "i32" } },
  ): { symbols: { execve(path: Uint8Array, argv: BigUint64Array, envp: BigUint64Array): number }; close(): void };
  UnsafePointer: { of(buffer: ArrayBufferView): unknown; value(pointer: unknown): bigint | number };
}

/** The running Deno, or undefined under Node. */
export const deno: DenoApi | undefined = (globalThis as { Deno?: DenoApi }).Deno;

/**
 * This Deno process's full command line (`deno run -A … script args`): Deno has no API for
 * its own options, and reads of /proc/self need --allow-all. Never prompts.
 */
export function denoCommandLine(api: DenoApi | undefined = deno): string[] | undefined {
  if (api?.build.os !== "linux" || !allGranted(api)) return undefined;
  try {
    return readFileSync("/proc/self/cmdline", "utf8").split("\0").slice(0, -1);
  } catch {
    return undefined;
  }
}

/** Whether Deno runs with --allow-all: every permission granted (querySync never prompts). */
function allGranted(api: DenoApi): boolean {
  return ["read", "write", "net", "env", "sys", "run", "ffi", "import"].every((name) => {
    try {
      return api.permissions.querySync({ name }).state === "granted";
    } catch {
      return false;
    }
  });
}

/**
 * Replaces this Deno process with its own command line run under `env`, like Node's
 * `process.execve` (which Deno lacks): the same process id, so a supervisor's signals and the
 * exit status are untouched. Calls the C library's execve through Deno's FFI, on Linux, when
 * Deno runs with --allow-all. Returns why it could not (on success it never returns).
 */
export function denoExecve(api: DenoApi, env: Record<string, string>): string {
  if (api.build.os !== "linux") return `restarting itself is implemented on Linux only (this is ${api.build.os})`;
  const argv = denoCommandLine(api);
  if (!argv) return "restarting itself needs Deno's --allow-all (-A), to read its own command line";
  if (!executable(api.execPath())) return `this user cannot execute ${api.execPath()} again`;
  let libc: ReturnType<DenoApi["dlopen"]>;
  try {
    libc = api.dlopen("libc.so.6", { execve: { parameters: ["buffer", "buffer", "buffer"], result: "i32" } });
  } catch (error) {
    return `cannot load the C library (${(error as Error).message})`;
  }
  const keep: ArrayBufferView[] = [];
  const cString = (text: string) => {
    const bytes = new TextEncoder().encode(`${text}\0`);
    keep.push(bytes);
    return bytes;
  };
  // A NULL-terminated array of pointers to C strings; `keep` holds the strings alive until execve.
  const pointers = (texts: readonly string[]) => {
    const array = new BigUint64Array(texts.length + 1);
    texts.forEach((text, at) => {
      array[at] = BigInt(api.UnsafePointer.value(api.UnsafePointer.of(cString(text))));
    });
    return array;
  };
  const envp = Object.entries(env).map(([name, value]) => `${name}=${value}`);
  libc.symbols.execve(cString(api.execPath()), pointers(argv), pointers(envp));
  libc.close();
  return "the C library's execve failed";
}

/** Whether this user may execute the file (an execve that fails cannot always return). */
export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
