import { readFile } from "node:fs/promises";
import { ConfigurationError } from "../sdk/errors/configuration-error.ts";
import type { Relation } from "../sdk/source.ts";

/** dbt materializations that leave a relation in the warehouse Syncline can select from. */
export const READABLE_MATERIALIZATIONS = [
  "table",
  "view",
  "incremental",
  "materialized_view",
  "dynamic_table",
] as const;

interface ManifestNode {
  resource_type?: string;
  unique_id?: string;
  name?: string;
  package_name?: string;
  database?: string | null;
  schema?: string;
  alias?: string | null;
  version?: string | number | null;
  latest_version?: string | number | null;
  config?: { materialized?: string; enabled?: boolean };
}

interface Manifest {
  nodes?: Record<string, ManifestNode>;
  disabled?: Record<string, ManifestNode[]>;
}

export interface DbtResolveOptions {
  /** Where the model is named in the configuration, for messages (`syncs.contacts.model.dbt`). */
  path?: string;
  /** Where the manifest path is configured. */
  manifestPath?: string;
}

/**
 * Resolves a dbt model to the relation dbt built for it, from `target/manifest.json`:
 * `name`, `package.name`, a unique id (`model.package.name`) or a version (`name.v2`; a bare
 * name means the latest version). The relation is database, schema and alias (or name).
 */
export async function resolveDbtModel(
  manifestFile: string,
  modelName: string,
  options: DbtResolveOptions = {},
): Promise<Relation> {
  const path = options.path ?? "model.dbt";
  const manifest = await readManifest(manifestFile, options.manifestPath ?? "model.manifest");
  const models = Object.values(manifest.nodes ?? {}).filter((node) => node.resource_type === "model");
  const matches = pickVersion(
    models.filter((node) => matchesName(node, modelName)),
    modelName,
  );

  if (matches.length === 0) {
    const disabled = Object.values(manifest.disabled ?? {})
      .flat()
      .some((node) => node.resource_type === "model" && matchesName(node, modelName));
    throw new ConfigurationError(
      disabled ? `dbt model "${modelName}" is disabled` : `dbt model "${modelName}" is not in ${manifestFile}`,
      {
        code: disabled ? "dbt_model_disabled" : "dbt_model_unknown",
        path,
        fix: disabled
          ? "enable the model in dbt (config enabled: true) and run dbt again"
          : `use one of: ${suggestions(models, modelName)}; or run dbt (build, run or compile) so the manifest is current`,
      },
    );
  }
  if (matches.length > 1) {
    const ids = matches.map((node) => node.unique_id ?? `${node.package_name}.${node.name}`).join(", ");
    throw new ConfigurationError(`dbt model "${modelName}" is ambiguous: ${ids}`, {
      code: "dbt_model_ambiguous",
      path,
      fix: "qualify it with its package: <package>.<model>",
    });
  }
  const node = matches[0]!;
  const materialized = node.config?.materialized ?? "view";
  if (!(READABLE_MATERIALIZATIONS as readonly string[]).includes(materialized)) {
    throw new ConfigurationError(
      `dbt model "${modelName}" is materialized as ${materialized}, which leaves no table or view to read`,
      {
        code: "dbt_model_not_relation",
        path,
        fix: `materialize it as one of ${READABLE_MATERIALIZATIONS.join(", ")} (ephemeral models exist only inside other models' SQL)`,
      },
    );
  }
  if (!node.schema || !node.name) {
    throw new ConfigurationError(`dbt model "${modelName}" has no schema in the manifest`, {
      code: "dbt_manifest_invalid",
      path,
      fix: "regenerate the manifest with dbt build, run or compile",
    });
  }
  return {
    ...(node.database ? { database: node.database } : {}),
    schema: node.schema,
    name: node.alias ?? node.name,
  };
}

async function readManifest(file: string, path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigurationError(`cannot read the dbt manifest ${file}`, {
      code: "dbt_manifest_missing",
      path,
      fix: "point it at your dbt project's target/manifest.json (dbt build, run, compile or parse writes it)",
      cause: error,
    });
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) return parsed as Manifest;
  } catch {
    // reported below
  }
  throw new ConfigurationError(`${file} is not a dbt manifest (JSON object)`, {
    code: "dbt_manifest_invalid",
    path,
    fix: "point it at target/manifest.json as written by dbt",
  });
}

const VERSIONED = /^(.*)\.v(\d+)$/;

function matchesName(node: ManifestNode, wanted: string): boolean {
  const versioned = VERSIONED.exec(wanted);
  if (versioned && String(node.version ?? "") === versioned[2]) return matchesName(node, versioned[1]!);
  return node.name === wanted || `${node.package_name}.${node.name}` === wanted || node.unique_id === wanted;
}

/** Several versions of one model: a bare name means the latest (or only unversioned) one. */
function pickVersion(nodes: ManifestNode[], wanted: string): ManifestNode[] {
  if (nodes.length < 2 || VERSIONED.test(wanted)) return nodes;
  const byModel = new Map<string, ManifestNode[]>();
  for (const node of nodes) {
    const key = `${node.package_name}.${node.name}`;
    byModel.set(key, [...(byModel.get(key) ?? []), node]);
  }
  return [...byModel.values()].map((versions) => {
    if (versions.length === 1) return versions[0]!;
    const latest = versions.find((node) => String(node.version) === String(node.latest_version));
    return latest ?? versions[0]!;
  });
}

function suggestions(models: ManifestNode[], wanted: string): string {
  const names = [...new Set(models.map((node) => node.name ?? ""))].filter(Boolean);
  const close = names.filter((name) => name.includes(wanted) || wanted.includes(name));
  const list = (close.length > 0 ? close : names).slice(0, 8);
  return list.length > 0 ? list.join(", ") : "(the manifest has no models)";
}
