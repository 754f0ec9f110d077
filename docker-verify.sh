#!/usr/bin/env bash
# Replays the Dockerfile's stages without Docker (CI has no Docker engine) and checks the
# image's contract in a temporary folder:
#   pack     the package as `npm pack` builds it (or the tarball given as $1)
#   deps     the tarball unpacked, production dependencies from package-lock.json (npm ci
#            --omit=dev), both native modules loaded
#   runtime  code owned by root and read-only to an unprivileged user (the image's `node`,
#            here `node` or `nobody`), the state volume and the config directory as in the
#            image, the image's ENV with its paths moved into the folder, ENTRYPOINT + CMD run
#            as that user; then the HEALTHCHECK command (read from the Dockerfile) must pass,
#            a triggered run must land its state on the volume, and SIGTERM must stop the
#            service with status 0, after which the health check must fail.
# usage: docker-verify.sh [syncline-<version>.tgz]
set -euo pipefail
repo="$(cd "$(dirname "$0")" && pwd)"
dockerfile="$repo/Dockerfile"
work="$(mktemp -d "${TMPDIR:-/tmp}/syncline-docker-XXXXXX")"
service_pid=""
cleanup() {
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then kill -KILL "$service_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
ok() { echo "ok: $*"; }
fail() {
  echo "FAILED: $*" >&2
  [ -f "$work/service.log" ] && tail -n 20 "$work/service.log" >&2
  exit 1
}

# ---- pack ----
if [ $# -ge 1 ]; then
  tarball="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  mkdir "$work/pack"
  (cd "$repo" && npm pack --pack-destination "$work/pack" --no-audit --no-fund >/dev/null)
  tarball="$(ls "$work"/pack/syncline-*.tgz)"
fi
ok "pack: $(basename "$tarball")"

# ---- deps ----
app="$work/app"
mkdir "$app"
tar -xzf "$tarball" -C "$app" --strip-components=1
cp "$repo/package-lock.json" "$app/"
(cd "$app" && npm ci --omit=dev --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null)
(cd "$app" && node -e "new (require('better-sqlite3'))(':memory:').close()" \
  && node --input-type=module -e "await import('@duckdb/node-api')") || fail "native modules do not load"
[ ! -e "$app/node_modules/vitest" ] && [ ! -e "$app/node_modules/@biomejs" ] || fail "dev dependencies installed"
ok "deps: production install from package-lock.json, native modules load"

# ---- runtime ----
# The Dockerfile's runtime facts, read from it so that this script checks the file as it is.
read_dockerfile() {
  node --input-type=module - "$dockerfile" "$1" <<'EOF'
import { readFileSync } from "node:fs";
const [file, what] = process.argv.slice(2);
const text = readFileSync(file, "utf8").replace(/\\\n/g, " ");
const runtime = text.slice(text.lastIndexOf("\nFROM "));
const json = (pattern) => JSON.parse(pattern.exec(runtime)[1]).join("\u0000");
if (what === "env") {
  const pairs = [...runtime.matchAll(/^ENV\s+(.*)$/gm)].flatMap((m) => m[1].trim().split(/\s+/));
  console.log(pairs.join("\n"));
} else if (what === "healthcheck") console.log(json(/^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])\s*$/m));
else if (what === "command") console.log([json(/^ENTRYPOINT\s+(\[.*\])/m), json(/^CMD\s+(\[.*\])/m)].join("\u0000"));
else if (what === "user") console.log(/^USER\s+(\S+)/m.exec(runtime)[1]);
EOF
}
container_path() { sed -e "s#/var/lib/syncline#$work/var/lib/syncline#g" -e "s#/etc/syncline#$work/etc/syncline#g" -e "s#^/app#$app#"; }

image_user="$(read_dockerfile user)"
if [ "$(id -u)" = 0 ]; then
  chown -R root:root "$app"
  user="$image_user"
  id "$user" >/dev/null 2>&1 || user=nobody
  as_user=(setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups --)
else
  user="$(id -un)"
  as_user=()
  echo "note: not root, so the service runs as $user and the code is not made read-only"
fi
# The image has its node in /usr/local/bin, readable by every user; this machine's node may
# live under a private home, so the service's copy sits in the folder.
node_bin="$(dirname "$(command -v node)")"
if [ "$(id -u)" = 0 ]; then
  mkdir "$work/bin" && cp "$node_bin/node" "$work/bin/node" && chmod 755 "$work/bin" "$work/bin/node"
  node_bin="$work/bin"
fi
volume="$work/var/lib/syncline"
config_dir="$work/etc/syncline"
mkdir -p "$volume" "$config_dir"
[ "$(id -u)" = 0 ] && chown "$user" "$volume"
cat >"$config_dir/seed.sql" <<'EOF'
CREATE TABLE people AS SELECT i AS id, 'person' || i || '@example.com' AS email FROM range(1, 1001) t(i);
EOF
cat >"$config_dir/syncline.yaml" <<EOF
sources:
  warehouse: { type: duckdb, path: $volume/warehouse.duckdb, seed: ./seed.sql }
destinations:
  out: { type: file, path: $volume/out }
syncs:
  people:
    source: warehouse
    model: { table: people }
    primaryKey: id
    destination: out
    object: people
    mapping: { email: email }
EOF
port="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
env_args=(PATH="$node_bin:/usr/local/bin:/usr/bin:/bin" HOME="$volume" SYNCLINE_API_TOKEN=docker-verify-token-0123456789)
while IFS= read -r pair; do
  [ -n "$pair" ] && env_args+=("$(printf '%s' "$pair" | container_path)")
done < <(read_dockerfile env)
env_args+=(PORT="$port") # a variable the operator sets wins over the image's
[ -n "$(printf '%s\n' "${env_args[@]}" | grep '^SYNCLINE_CONFIG=' || true)" ] \
  || env_args+=(SYNCLINE_CONFIG="$config_dir/syncline.yaml")
mapfile -d '' -t command < <(read_dockerfile command | tr -d '\n')
mapfile -d '' -t healthcheck < <(read_dockerfile healthcheck | tr -d '\n')
[ "${command[0]}" = node ] || fail "ENTRYPOINT is not node: ${command[*]}"
[ "${healthcheck[0]}" = node ] || fail "HEALTHCHECK is not node: ${healthcheck[*]}"
command[0]="$node_bin/node"
healthcheck[0]="$node_bin/node"

if [ "$(id -u)" = 0 ]; then
  if "${as_user[@]}" touch "$app/written-by-service" 2>/dev/null; then fail "the code is writable by $user"; fi
  ok "runtime: code owned by root, read-only to $user"
fi

cd "$app"
"${as_user[@]}" env -i "${env_args[@]}" "${command[@]}" >"$work/service.log" 2>&1 &
service_pid=$!
health() { "${as_user[@]}" env -i "${env_args[@]}" "${healthcheck[@]}"; }
for _ in $(seq 1 150); do
  health && break
  kill -0 "$service_pid" 2>/dev/null || fail "the service exited before it was healthy"
  sleep 0.2
done
health || fail "HEALTHCHECK did not pass within 30 s"
ok "HEALTHCHECK passes as $user (${healthcheck[*]:0:2} …)"

run="$(node -e "
fetch('http://127.0.0.1:$port/v1/syncs/people/runs?wait=true', { method: 'POST', headers: { authorization: 'Bearer docker-verify-token-0123456789' } })
  .then(async (r) => { const body = await r.json(); console.log(r.status, body.status ?? body.run?.status, JSON.stringify(body.counts ?? body.run?.counts ?? {})); })")"
case "$run" in
  "200 succeeded"*) ok "a triggered run succeeded: $run" ;;
  *) fail "the triggered run did not succeed: $run" ;;
esac
[ -f "$volume/state.db" ] || fail "no state.db on the volume ($volume)"
[ "$(wc -l <"$volume/out/people.jsonl")" = 1000 ] || fail "the run did not write 1000 records"
[ "$(id -u)" != 0 ] || [ "$(stat -c %U "$volume/state.db")" = "$user" ] || fail "state.db is not owned by $user"
ok "state on the volume, owned by $user; 1000 records delivered"

kill -TERM "$service_pid"
status=0
for _ in $(seq 1 350); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$service_pid" 2>/dev/null && fail "the service was still running 35 s after SIGTERM"
wait "$service_pid" || status=$?
service_pid=""
[ "$status" = 0 ] || fail "SIGTERM: the service exited with status $status"
if health 2>/dev/null; then fail "HEALTHCHECK still passes after the service stopped"; fi
ok "SIGTERM: exit status 0; the health check fails once it is gone"
echo "docker-verify: all checks passed"
