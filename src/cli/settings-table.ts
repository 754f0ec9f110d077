import Table from "cli-table3";
import type { LoadedConfig } from "../host/loaded-config.ts";
import { memorySettings } from "./memory-settings.ts";
import type { CliOptions } from "./options.ts";

/** The effective settings and where each came from (never a token's value: only how many). */
export function settingsTable(config: LoadedConfig, options: CliOptions): string {
  const { settings } = config;
  const table = new Table({ head: ["setting", "value", "from"], style: { head: [], border: [] } });
  const memory = memorySettings();
  table.push(
    ["config file", config.file, options.configFrom],
    ["state", settings.statePath.value, settings.statePath.from],
    ["port", String(settings.port.value), settings.port.from],
    ["host", settings.host.value, settings.host.from],
    ["API tokens", `${settings.tokens.value.length}`, settings.tokens.from],
    ["log level (serve)", settings.logLevel.value, settings.logLevel.from],
    ["shutdown grace", `${settings.shutdownGraceMs.value} ms`, settings.shutdownGraceMs.from],
    ["runtime", runtime(), process.platform],
    ["memory settings", memory.state, memory.state === "missing" ? "see below" : memory.detail],
  );
  return memory.state === "missing" ? `${table.toString()}\nmemory settings ${memory.detail}` : table.toString();
}

function runtime(): string {
  const deno = process.versions.deno;
  return deno ? `Deno ${deno}` : `Node.js ${process.version}`;
}
