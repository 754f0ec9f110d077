import { defineConfig } from "vitest/config";

// Tests run the TypeScript sources: `syncline/sdk` (imported by the plugins as a third party
// would) resolves through package.json's "syncline-source" export condition to src/, never to
// a build in dist/.
// The rest are Vite's defaults for server code, which a custom list replaces.
const conditions = ["syncline-source", "module", "node", "development|production"];

export default defineConfig({
  ssr: { resolve: { conditions } },
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
  },
});
