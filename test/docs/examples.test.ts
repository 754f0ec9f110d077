// Every code example in the README and the plugin guide is a file that a test runs, so an
// example cannot drift from what works: a JavaScript, TypeScript or JSON block must be preceded
// by `<!-- file: path -->` and equal that file (docs/examples/acme-crm/plugin.test.js runs the
// guide's plugin through the contract kit; test/package runs it again from the tarball), and
// every YAML block that configures sources or destinations must load with the real config
// loader and the real plugins.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const ROOT = join(import.meta.dirname, "..", "..");
const LOADER = pathToFileURL(join(ROOT, "src", "host", "load-config.ts")).href;
const DOCS = ["README.md", "docs/plugins.md", "docs/sync-logs.md", "examples/third-party-plugin/README.md"];
const CODE = new Set(["js", "javascript", "ts", "typescript", "json"]);

interface Block {
  doc: string;
  line: number;
  lang: string;
  text: string;
  file: string | undefined;
}

function blocks(doc: string): Block[] {
  const markdown = readFileSync(join(ROOT, doc), "utf8");
  const found: Block[] = [];
  for (const match of markdown.matchAll(/^(?:<!-- file: (\S+) -->\n)?```(\w*)\n([\s\S]*?)^```$/gm)) {
    const line = markdown.slice(0, match.index).split("\n").length;
    found.push({ doc, line, file: match[1], lang: match[2]!, text: match[3]! });
  }
  return found;
}

const all = DOCS.flatMap(blocks);

describe("code examples in the docs", () => {
  it("finds the examples (the parser works)", () => {
    expect(all.filter((block) => CODE.has(block.lang)).length).toBeGreaterThanOrEqual(4);
    expect(all.filter((block) => block.lang === "yaml").length).toBeGreaterThanOrEqual(8);
  });

  it.each(all.filter((block) => CODE.has(block.lang)).map((block) => [`${block.doc}:${block.line}`, block]))(
    "%s is a tested file, verbatim",
    (_where, block) => {
      expect(block.file, "precede the block with <!-- file: path/of/the/tested/file -->").toBeDefined();
      expect(block.text).toBe(readFileSync(join(ROOT, block.file!), "utf8"));
    },
  );

  it.each(
    all
      .filter((block) => block.lang === "yaml" && /^(sources|destinations):/m.test(block.text))
      .map((block) => [`${block.doc}:${block.line}`, block]),
  )("%s loads with the config loader and its plugins", (_where, block) => {
    const file = configFor(block.text);
    const env = Object.fromEntries(
      [...block.text.matchAll(/\$\{(\w+)/g)].map(([, name]) => [name!, sampleValue(name!)]),
    );
    // In a plain Node process, as the CLI loads it: plugins resolve syncline/sdk through the
    // host's hook, which Vite's module runner does not use.
    const script = `import { loadConfig } from ${JSON.stringify(LOADER)}; await loadConfig(${JSON.stringify(file)}, process.env);`;
    const result = spawnSync(process.execPath, ["--input-type=module", "--eval", script], {
      encoding: "utf8",
      env: { PATH: process.env.PATH, ...env },
    });
    expect(result.status, result.stderr).toBe(0);
  });
});

/** A value of the shape each documented variable must have (a URL, a 32-character key, a token). */
function sampleValue(name: string): string {
  if (name.endsWith("_URL")) return "https://hooks.example.com/services/docs";
  if (name.endsWith("ROUTING_KEY")) return "0123456789abcdef0123456789abcdef";
  return "a-secret-value-for-docs-0123";
}

/**
 * The block as a whole config in a fresh directory: a DuckDB source and an empty sync list
 * where the block has none, the guide's plugins installed where the block lists them.
 */
function configFor(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "syncline-docs-"));
  const config = parse(text) as Record<string, unknown>;
  const plugins = (config.plugins as string[] | undefined) ?? [];
  const packages: Record<string, string> = {
    "syncline-plugin-example-crm": join(ROOT, "examples", "third-party-plugin"),
  };
  for (const plugin of plugins) {
    if (packages[plugin]) {
      mkdirSync(join(dir, "node_modules"), { recursive: true });
      symlinkSync(packages[plugin], join(dir, "node_modules", plugin));
    } else if (plugin.startsWith("./")) {
      mkdirSync(join(dir, plugin, ".."), { recursive: true });
      symlinkSync(join(ROOT, "docs", "examples", "acme-crm", "index.js"), join(dir, plugin));
    }
  }
  const whole = [
    text,
    config.sources ? "" : 'sources:\n  warehouse: { type: duckdb, path: ":memory:" }',
    config.syncs ? "" : "syncs: {}",
  ];
  writeFileSync(join(dir, "syncline.yaml"), whole.join("\n"));
  return join(dir, "syncline.yaml");
}
