import { resolve } from "node:path";
import * as v from "valibot";
import { resolveAlerts } from "../alerts/config.ts";
import { formatIssues } from "../config/issues.ts";
import { resolveCapabilities, resolveConfig } from "../config/resolve.ts";
import type { ResolvedSync } from "../config/resolved.ts";
import { DestinationLimiter, identityOf, noRedaction, operationsNeeded, type SyncSpec } from "../engine/index.ts";
import type { DestinationDefinition } from "../sdk/destination.ts";
import type { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import { createHttpClient } from "../sdk/http.ts";
import { secretValues } from "../sdk/secret.ts";
import type { Model, SourceDefinition } from "../sdk/source.ts";
import { resolveFieldOptions } from "./field-options.ts";
import type { LoadedConfig, LoadedSync } from "./loaded-config.ts";
import { PluginRegistry } from "./plugin-loader.ts";
import { invalid, readRawConfig } from "./raw-config.ts";
import { makeRedactor } from "./redact.ts";
import { cronProblem, resolveSequences } from "./sequence-config.ts";
import { resolveSyncLogs } from "./sync-logs-config.ts";
import { resolveDiff } from "./warehouse-config.ts";

/**
 * Reads, interpolates and validates the config once, at start. Every problem found is
 * reported together, each line naming the path at fault and the fix; a ConfigurationError
 * with code `config_invalid` carries them (the CLI exits with status 2).
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
  flags: { logLevel?: string | undefined } = {},
): Promise<LoadedConfig> {
  const { path, dir, raw, secrets } = readRawConfig(file, env);
  const problems: string[] = [];
  const resolved = resolveConfig(raw, { dir, env, flags }, problems);
  const { settings } = resolved;
  const registry = new PluginRegistry();
  await registry.loadListed(resolved.plugins, dir);

  const sources: LoadedConfig["sources"] = new Map();
  for (const [name, entry] of Object.entries(resolved.sources)) {
    const at = `sources.${name}`;
    const plugin = await pluginOf(registry, entry.type, "source", `${at}.type`, problems);
    // `syncLogs` is Syncline's option (resolved per sync), not the plugin's.
    const { syncLogs: _syncLogs, ...options } = entry;
    const config = plugin && checkOptions(plugin, options, at, problems, secrets);
    if (plugin && config !== undefined) {
      sources.set(name, {
        name,
        type: entry.type,
        plugin: plugin as SourceDefinition<unknown>,
        config,
        state: new Map(),
        baseDir: dir,
      });
    }
  }

  const { inspector } = resolved;
  const destinations: LoadedConfig["destinations"] = new Map();
  for (const [name, entry] of Object.entries(resolved.destinations)) {
    const at = `destinations.${name}`;
    const plugin = await pluginOf(registry, entry.type, "destination", `${at}.type`, problems);
    const config = plugin && checkOptions(plugin, entry, at, problems, secrets);
    if (!plugin || config === undefined) continue;
    const definition = plugin as DestinationDefinition<unknown>;
    const capabilities = resolveCapabilities(
      typeof definition.capabilities === "function" ? definition.capabilities(config) : definition.capabilities,
    );
    const baseUrl = (config as { baseUrl?: string }).baseUrl;
    destinations.set(name, {
      name,
      type: entry.type,
      plugin: definition,
      config,
      capabilities,
      limiter: new DestinationLimiter({ rateLimit: capabilities.rateLimit, concurrency: capabilities.concurrency }),
      state: new Map(),
      baseDir: dir,
      http: (signal) => createHttpClient({ baseUrl, timeoutMs: capabilities.timeoutMs, signal }),
      redact: noRedaction, // set below, once every secret is known
      inspector: inspector.calls > 0 ? inspector : undefined,
    });
  }

  const syncs = new Map<string, LoadedSync>();
  for (const [name, sync] of Object.entries(resolved.syncs)) {
    const at = `syncs.${name}`;
    const source = sources.get(sync.source);
    const destination = destinations.get(sync.destination);
    if (!source && raw.sources[sync.source] === undefined) {
      problems.push(
        `${at}.source: unknown source "${sync.source}" — defined sources: ${Object.keys(raw.sources).join(", ") || "none"}`,
      );
    }
    if (!destination && raw.destinations[sync.destination] === undefined) {
      problems.push(
        `${at}.destination: unknown destination "${sync.destination}" — defined destinations: ${Object.keys(raw.destinations).join(", ") || "none"}`,
      );
    }
    const { mode } = sync;
    if (destination) {
      const missing = operationsNeeded(mode).filter((op) => !destination.capabilities.operations.includes(op));
      if (missing.length > 0) {
        problems.push(
          `${at}.mode: "${mode}" needs ${missing.join(" and ")}, which ${destination.type} does not support — use one of its operations: ${destination.capabilities.operations.join(", ")}`,
        );
      }
    }
    const cron = sync.schedule === undefined ? undefined : cronProblem(sync.schedule);
    if (cron) problems.push(`${at}.schedule: ${cron}`);
    let syncOptions = sync.options;
    if (destination?.plugin.syncOptions) {
      const checked = v.safeParse(destination.plugin.syncOptions, syncOptions);
      if (checked.success) syncOptions = checked.output;
      else problems.push(...formatIssues(checked.issues, destination.plugin.syncOptions, `${at}.options`));
    }
    const model = await resolveModel(sync.model, dir, `${at}.model`, problems);
    const diff = resolveDiff(sync.diff, name, source, problems);
    const fieldOptions = resolveFieldOptions(sync, name, destination, syncOptions, problems);
    const syncLogs = resolveSyncLogs(sync.syncLogs, name, source, problems);
    if (!source || !destination || !model) continue;
    const spec: SyncSpec = {
      name,
      model,
      primaryKey: sync.primaryKey,
      object: sync.object,
      mode,
      mapping: Object.entries(sync.mapping).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      options: syncOptions,
      deleteGuard: sync.deleteGuard,
      batchSize: sync.batchSize,
      maxWaitMs: sync.maxWaitMs,
      validateMapping: sync.validateMapping,
      ...(diff ? { diff } : {}),
      ...fieldOptions,
      ...(syncLogs ? { syncLogs } : {}),
      changelog: sync.changelog,
    };
    syncs.set(name, { spec, source, destination, identity: identityOf(spec, destination), schedule: sync.schedule });
  }
  const sequences = resolveSequences(resolved, problems);
  const alerts = resolveAlerts(
    resolved.alerts,
    { syncs: Object.keys(resolved.syncs), publicUrl: resolved.server.publicUrl },
    problems,
    secrets,
  );
  if (problems.length > 0) throw invalid(problems);

  for (const token of settings.tokens.value) secrets.add(token);
  if (resolved.server.hmacSecret) secrets.add(resolved.server.hmacSecret);
  const redact = makeRedactor(secrets);
  for (const destination of destinations.values()) destination.redact = redact;

  return {
    file: path,
    dir,
    statePath: settings.statePath.value,
    logLevel: settings.logLevel.value,
    sources,
    destinations,
    syncs,
    sequences,
    server: {
      port: settings.port.value,
      host: settings.host.value,
      tokens: settings.tokens.value,
      hmacSecret: resolved.server.hmacSecret,
      shutdownGraceMs: settings.shutdownGraceMs.value,
      publicUrl: resolved.server.publicUrl,
      console: resolved.server.console,
    },
    settings,
    alerts,
    changelog: resolved.changelog,
    inspector,
    secrets,
    describeSync(name) {
      const sync = raw.syncs[name];
      return sync ? { ...sync, mode: resolved.syncs[name]!.mode } : {};
    },
  };
}

async function pluginOf(
  registry: PluginRegistry,
  type: string,
  kind: "source" | "destination",
  path: string,
  problems: string[],
) {
  try {
    const plugin = await registry.get(type, path, kind);
    if (plugin.kind !== kind) {
      problems.push(`${path}: "${type}" is a ${plugin.kind}, not a ${kind}`);
      return undefined;
    }
    return plugin;
  } catch (error) {
    problems.push((error as ConfigurationError).describe?.() ?? String(error));
    return undefined;
  }
}

function checkOptions(
  plugin: { config: v.GenericSchema; name: string },
  entry: Record<string, unknown>,
  at: string,
  problems: string[],
  secrets: Set<string>,
): unknown {
  const { type: _type, ...options } = entry;
  const parsed = v.safeParse(plugin.config, options);
  if (!parsed.success) {
    problems.push(...formatIssues(parsed.issues, plugin.config, at));
    return undefined;
  }
  for (const value of secretValues(plugin.config, parsed.output)) secrets.add(value);
  return parsed.output;
}

async function resolveModel(
  model: ResolvedSync["model"],
  dir: string,
  path: string,
  problems: string[],
): Promise<Model | undefined> {
  if ("sql" in model) return { kind: "sql", sql: model.sql };
  if ("table" in model) {
    const parts = model.table.split(".");
    const name = parts.pop()!;
    return {
      kind: "table",
      relation: { database: parts.length > 1 ? parts[0] : undefined, schema: parts.at(-1), name },
    };
  }
  try {
    const { resolveDbtModel } = await import("./dbt.ts");
    const relation = await resolveDbtModel(resolve(dir, model.manifest ?? "target/manifest.json"), model.dbt);
    return { kind: "table", relation };
  } catch (error) {
    problems.push(`${path}.dbt: ${(error as ConfigurationError).describe?.() ?? String(error)}`);
    return undefined;
  }
}
