// The runtimes Syncline needs, checked before anything else is loaded: `syncline` imports this
// file first, and `npm test`, `npm run demo:change` and `npm run bench` run it (their `pre`
// scripts), so each fails at once with the same message. Plain JavaScript any Node can parse.
// Deno 2 reports a recent Node version here and passes.
const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  process.stderr.write(
    `syncline needs Node.js 22.18 or newer (this is ${process.version}); install Node 24 LTS and try again\n`,
  );
  process.exit(2);
}
