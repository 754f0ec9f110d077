import { DEFAULTS } from "../../config/defaults.ts";
import { resolveSettings } from "../../config/settings.ts";
import { invalid, readRawConfig } from "../../host/raw-config.ts";
import type { CliOptions } from "../options.ts";

/**
 * `syncline health`: asks the running service's /healthz, at the port and address the same
 * settings give it (a container's HEALTHCHECK). Reads the config without loading any plugin,
 * so a probe costs little more than starting the runtime.
 */
export async function runHealth(options: CliOptions): Promise<number> {
  const { raw, dir } = readRawConfig(options.config, process.env);
  const problems: string[] = [];
  const { port, host } = resolveSettings(raw, dir, process.env, {}, problems);
  if (problems.length > 0) throw invalid(problems);
  const url = `http://${loopbackFor(host.value)}:${port.value}/healthz`;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(DEFAULTS.healthTimeoutMs) });
    if (response.ok) return 0;
    process.stderr.write(`syncline health: ${url} answered ${response.status}\n`);
  } catch (error) {
    process.stderr.write(`syncline health: no answer from ${url}: ${(error as Error).message}\n`);
  }
  return 1;
}

/** A service listening on every interface is asked on the loopback one. */
function loopbackFor(host: string): string {
  if (host === "0.0.0.0" || host === "") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}
