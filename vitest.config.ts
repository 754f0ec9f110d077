import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources: `syncline/sdk` and `syncline/sdk/testing`, imported by the
// plugins and examples as a third party would, resolve to src/ through package.json's
// "syncline-source" export condition (never to a build in dist/). Aliases rather than Vite's
// conditions, so that the example packages (which have their own package.json and list
// `syncline` as an optional peer) get the sources too.
const manifest = JSON.parse(readFileSync(join(import.meta.dirname, "package.json"), "utf8")) as {
  exports: Record<string, string | Record<string, string>>;
};
const alias = Object.entries(manifest.exports).flatMap(([entry, target]) =>
  typeof target === "object" && target["syncline-source"]
    ? [
        {
          find: new RegExp(`^syncline${entry.slice(1).replaceAll("/", "\\/")}$`),
          replacement: join(import.meta.dirname, target["syncline-source"]),
        },
      ]
    : [],
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: [
      "src/**/*.test.ts",
      "plugins/**/*.test.ts",
      "test/**/*.test.ts",
      "examples/**/*.test.ts",
      "docs/**/*.test.js",
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Removes the tarball test/package packs once per run.
    globalSetup: ["test/package/global-setup.ts"],
  },
});
