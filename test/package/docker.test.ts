// The container image without Docker: docker-verify.sh replays the Dockerfile's stages from
// the packed tarball (production install, root-owned code, an unprivileged user, the state
// volume, the image's ENV) and checks its HEALTHCHECK command and SIGTERM.
import { join } from "node:path";
import { expect, it } from "vitest";
import { packedSyncline, ROOT, run } from "./tarball.ts";

it("the Dockerfile's stages, replayed from the tarball, pass the health check, land state on the volume and stop on SIGTERM", async () => {
  const tarball = await packedSyncline();
  const result = await run("bash", [join(ROOT, "docker-verify.sh"), tarball], {
    cwd: ROOT,
    env: { VITEST: "", NODE_OPTIONS: "" },
  });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  for (const check of [
    "ok: deps: production install from package-lock.json, native modules load",
    "ok: HEALTHCHECK passes as",
    "ok: a triggered run succeeded: 200 succeeded",
    "ok: state on the volume, owned by",
    "ok: SIGTERM: exit status 0; the health check fails once it is gone",
    "docker-verify: all checks passed",
  ]) {
    expect(result.stdout).toContain(check);
  }
}, 600_000);
