#!/usr/bin/env bash
# Cogdesk integration-test environment (idempotent, safe to run many times; fast when all exists):
#   1. Debian packages: docker.io docker-registry debootstrap apache2-utils (+ curl python3 it uses)
#   2. a Docker engine (dockerd --iptables=false) unless one answers already
#   3. two local registries: open on 127.0.0.1:5100, htpasswd basic auth on 127.0.0.1:5101
#   4. base image cogdesk-test/base:bookworm (debootstrap minbase + python3, tarball cached)
#   5. fixture Cog images pushed to 127.0.0.1:5100/fixtures/<name>:latest (+ 127.0.0.1:5101/private/echo)
#   6. /var/lib/cogdesk-test/fixtures.json: each image's reference and manifest digest
# Needs root. Nothing here talks to anything but the apt mirror (read from the apt sources) and loopback.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../.." && pwd)
HELPER="$HERE/lib/testenv.py"
DOCKERFILE="$HERE/fixture.Dockerfile"
SERVER_PY="$REPO_ROOT/test/fixtures/cog-server/server.py"
# The newer servers (fixture.conf server=coglet|go): their modules beside server.py, and their Dockerfile.
SERVER_DIR="$REPO_ROOT/test/fixtures/cog-server"
MODERN_DOCKERFILE="$HERE/fixture-modern.Dockerfile"
MODERN_SOURCES=(modern.py coglet_server.py go_server.py)
# What the newer-server fixture images say they were built with.
COGLET_VERSION=0.22.0
GO_RUNTIME_COG_VERSION=0.16.8
FIXTURES_DIR="$REPO_ROOT/test/fixtures/cog-images"

STATE_DIR=/var/lib/cogdesk-test
CACHE_DIR=/var/cache/cogdesk-test
LOG_DIR=/var/log/cogdesk-test
ROOTFS_TAR="$CACHE_DIR/rootfs-bookworm-python3.tar"
BASE_IMAGE=cogdesk-test/base:bookworm
OPEN_REGISTRY=127.0.0.1:5100
AUTH_REGISTRY=127.0.0.1:5101
AUTH_USER=cogdesk
AUTH_PASSWORD=cogdesk-test-pw
LEGACY_COG_VERSION=0.8.6
# Bump when the way images are built or labelled changes (it feeds every fixture hash).
FIXTURE_FORMAT=1

export DOCKER_BUILDKIT=0 # the legacy builder works with every docker CLI/engine pair we meet
export DEBIAN_FRONTEND=noninteractive

T0=$(date +%s)
log() { printf '[setup %3ss] %s\n' "$(($(date +%s) - T0))" "$*" >&2; }
die() {
  printf '\nsetup.sh: ERROR: %s\n' "$*" >&2
  exit 1
}
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "setup.sh: failed (exit %s) at line %s: %s\n" "$rc" "$LINENO" "$BASH_COMMAND" >&2; fi' ERR

[ "$(id -u)" -eq 0 ] || die "run as root (it installs packages, starts dockerd and writes under /var)"
mkdir -p "$STATE_DIR" "$CACHE_DIR" "$LOG_DIR"

# One run at a time (parallel CI jobs on one machine would fight over ports and tags).
exec 9>"$STATE_DIR/setup.lock"
flock -w 900 9 || die "another setup.sh has held $STATE_DIR/setup.lock for 15 minutes"

# ---------------------------------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------------------------------
missing=()
command -v dockerd >/dev/null 2>&1 && command -v docker >/dev/null 2>&1 || missing+=(docker.io)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
[ -e /usr/share/keyrings/debian-archive-keyring.gpg ] || missing+=(debian-archive-keyring)
command -v htpasswd >/dev/null 2>&1 || missing+=(apache2-utils)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v flock >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  # Keep package scripts from starting services (dockerd, registry) on their own.
  added_policy=
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
    added_policy=1
  fi
  apt_ok=1
  apt-get update >"$LOG_DIR/apt.log" 2>&1 || apt_ok=
  if [ -n "$apt_ok" ]; then
    apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOG_DIR/apt.log" 2>&1 || apt_ok=
  fi
  [ -z "$added_policy" ] || rm -f /usr/sbin/policy-rc.d
  if [ -z "$apt_ok" ]; then
    tail -n 20 "$LOG_DIR/apt.log" >&2
    die "apt-get failed installing ${missing[*]} (log: $LOG_DIR/apt.log)"
  fi
fi
for cmd in docker dockerd /usr/bin/docker-registry debootstrap htpasswd curl python3; do
  command -v "$cmd" >/dev/null 2>&1 || die "$cmd is still missing after installing packages"
done

# ---------------------------------------------------------------------------------------------------
# 2. Docker engine
# ---------------------------------------------------------------------------------------------------
if ! docker info >/dev/null 2>&1; then
  if pidof dockerd >/dev/null 2>&1; then
    log "dockerd is running but not answering yet; waiting for it"
  else
    log "starting dockerd --iptables=false (log: $LOG_DIR/dockerd.log)"
    # 9>&-: the daemon must not inherit (and hold forever) the setup lock.
    setsid nohup dockerd --iptables=false >>"$LOG_DIR/dockerd.log" 2>&1 </dev/null 9>&- &
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    tail -n 20 "$LOG_DIR/dockerd.log" >&2 || true
    die "the Docker engine did not answer within 60 s (log: $LOG_DIR/dockerd.log)"
  fi
fi

# ---------------------------------------------------------------------------------------------------
# 3. registries
# ---------------------------------------------------------------------------------------------------
http_code() { curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$@" 2>/dev/null || true; }

HTPASSWD="$STATE_DIR/htpasswd"
if ! [ -s "$HTPASSWD" ] || ! htpasswd -vb "$HTPASSWD" "$AUTH_USER" "$AUTH_PASSWORD" >/dev/null 2>&1; then
  htpasswd -Bbn "$AUTH_USER" "$AUTH_PASSWORD" >"$HTPASSWD.tmp" || die "htpasswd failed"
  mv "$HTPASSWD.tmp" "$HTPASSWD"
fi

write_if_changed() { # file, content on stdin
  local tmp
  tmp=$(mktemp "$1.XXXXXX")
  cat >"$tmp"
  if cmp -s "$tmp" "$1"; then rm -f "$tmp"; else mv "$tmp" "$1"; fi
}

registry_config() { # name addr [auth]
  cat <<EOF
# Written by scripts/test-env/setup.sh
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-$1
  delete:
    enabled: true
http:
  addr: $2
  secret: cogdesk-test-$1
  headers:
    X-Content-Type-Options: [nosniff]
EOF
  if [ "${3:-}" = auth ]; then
    cat <<EOF
auth:
  htpasswd:
    realm: cogdesk-test
    path: $HTPASSWD
EOF
  fi
}

start_registry() { # name addr expected-code [auth]
  local name=$1 addr=$2 want=$3 cfg="$STATE_DIR/registry-$1.yml" code
  mkdir -p "$STATE_DIR/registry-$name"
  registry_config "$name" "$addr" "${4:-}" | write_if_changed "$cfg"
  code=$(http_code "http://$addr/v2/")
  if [ "$code" = 000 ]; then
    log "starting registry $name on $addr (log: $LOG_DIR/registry-$name.log)"
    setsid nohup /usr/bin/docker-registry serve "$cfg" >>"$LOG_DIR/registry-$name.log" 2>&1 </dev/null 9>&- &
    echo $! >"$STATE_DIR/registry-$name.pid"
    for _ in $(seq 1 100); do
      code=$(http_code "http://$addr/v2/")
      [ "$code" = 000 ] || break
      sleep 0.2
    done
  fi
  if [ "$code" = 000 ]; then
    tail -n 20 "$LOG_DIR/registry-$name.log" >&2 || true
    die "registry $name did not answer on http://$addr/v2/ within 20 s (log: $LOG_DIR/registry-$name.log)"
  fi
  [ "$code" = "$want" ] ||
    die "http://$addr/v2/ answers HTTP $code, expected $want: is something else using that port?"
}

start_registry open "$OPEN_REGISTRY" 200
start_registry auth "$AUTH_REGISTRY" 401 auth
[ "$(http_code -u "$AUTH_USER:$AUTH_PASSWORD" "http://$AUTH_REGISTRY/v2/")" = 200 ] ||
  die "the auth registry on $AUTH_REGISTRY rejects $AUTH_USER's password (restart it: scripts/test-env/teardown.sh)"

# ---------------------------------------------------------------------------------------------------
# 4. base image
# ---------------------------------------------------------------------------------------------------
ROOTFS_WORK=
cleanup_rootfs() {
  [ -n "$ROOTFS_WORK" ] && [ -d "$ROOTFS_WORK" ] || return 0
  # debootstrap mounts proc/sys inside the target: never delete through a mount.
  local mnt
  for mnt in $(awk -v d="$ROOTFS_WORK/" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$mnt" 2>/dev/null || true
  done
  if awk -v d="$ROOTFS_WORK/" 'index($2, d) == 1 {found=1} END {exit !found}' /proc/mounts; then
    echo "setup.sh: leaving $ROOTFS_WORK in place: something is still mounted under it" >&2
  else
    rm -rf --one-file-system "$ROOTFS_WORK"
  fi
  ROOTFS_WORK=
}
trap cleanup_rootfs EXIT

build_rootfs_tarball() {
  local mirror rootfs
  mirror=${COGDESK_DEBIAN_MIRROR:-$(python3 "$HELPER" mirror)} || die "cannot read the Debian mirror from the apt sources"
  ROOTFS_WORK=$(mktemp -d /var/tmp/cogdesk-rootfs.XXXXXX)
  rootfs="$ROOTFS_WORK/rootfs"
  log "debootstrap --variant=minbase --include=python3 bookworm from $mirror (log: $LOG_DIR/debootstrap.log)"
  if ! debootstrap --variant=minbase --include=python3 bookworm "$rootfs" "$mirror" >"$LOG_DIR/debootstrap.log" 2>&1; then
    tail -n 20 "$LOG_DIR/debootstrap.log" >&2
    cleanup_rootfs
    die "debootstrap failed (log: $LOG_DIR/debootstrap.log)"
  fi
  # Small: no apt lists/caches, docs, man pages, locales, logs.
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/var/cache/debconf/*-old \
    "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
    "$rootfs"/usr/share/locale/* "$rootfs"/usr/share/lintian/* "$rootfs"/var/log/* \
    "$rootfs"/tmp/* "$rootfs"/var/tmp/* "$rootfs"/root/.cache
  find "$rootfs"/usr/lib/python3* -name '__pycache__' -type d -prune -exec rm -rf {} + 2>/dev/null || true
  : >"$rootfs/etc/machine-id"
  [ -x "$rootfs/usr/bin/python3" ] || die "the debootstrapped rootfs has no /usr/bin/python3"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$ROOTFS_TAR.tmp" . || die "cannot write $ROOTFS_TAR"
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  cleanup_rootfs
  log "cached $ROOTFS_TAR ($(du -h "$ROOTFS_TAR" | cut -f1))"
}

if ! docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  [ -s "$ROOTFS_TAR" ] || build_rootfs_tarball
  log "docker import $ROOTFS_TAR as $BASE_IMAGE"
  rootfs_sha=$(sha256sum "$ROOTFS_TAR" | cut -d' ' -f1)
  docker import \
    --change "LABEL cogdesk.rootfs-sha256=$rootfs_sha" \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    "$ROOTFS_TAR" "$BASE_IMAGE" >/dev/null || die "docker import of $ROOTFS_TAR failed (a broken tarball? delete it and rerun)"
fi
# What the fixtures are built on: the rootfs tarball's checksum (re-importing the same tarball changes the
# image id but not the content), or the image id for a base imported without that label.
BASE_ID=$(docker image inspect --format '{{ index .Config.Labels "cogdesk.rootfs-sha256" }}' "$BASE_IMAGE" 2>/dev/null) ||
  die "cannot inspect $BASE_IMAGE"
if [ -z "$BASE_ID" ] || [ "$BASE_ID" = "<no value>" ]; then
  BASE_ID=$(docker image inspect --format '{{.Id}}' "$BASE_IMAGE")
fi

# ---------------------------------------------------------------------------------------------------
# 5. fixture images
# ---------------------------------------------------------------------------------------------------
[ -f "$SERVER_PY" ] || die "missing $SERVER_PY"
[ -d "$FIXTURES_DIR" ] || die "missing $FIXTURES_DIR"

conf_value() { # file key
  sed -n "s/^$2=//p" "$1" | tail -n 1
}

fixture_hash() { # fixture dir
  local f
  {
    echo "format=$FIXTURE_FORMAT base=$BASE_ID legacy=$LEGACY_COG_VERSION"
    cat "$DOCKERFILE" "$SERVER_PY"
    for f in "$1"/*; do
      echo "== $(basename "$f")"
      cat "$f"
    done
    # Only newer-server fixtures depend on these (the legacy fixtures' hashes stay as they were).
    if [ -n "$(conf_value "$1/fixture.conf" server)" ]; then
      echo "== modern coglet=$COGLET_VERSION go=$GO_RUNTIME_COG_VERSION"
      cat "$MODERN_DOCKERFILE"
      for f in "${MODERN_SOURCES[@]}"; do cat "$SERVER_DIR/$f"; done
    fi
  } | sha256sum | cut -d' ' -f1
}

local_hash() { # ref -> label value, empty when the image is absent
  docker image inspect --format '{{ index .Config.Labels "cogdesk.fixture-hash" }}' "$1" 2>/dev/null || true
}

BUILT=0
PUSHED=0
declare -A HASHES=()
RECORDS="$STATE_DIR/.fixtures.tsv"
: >"$RECORDS"
printf 'meta\topenRegistry\t%s\nmeta\tauthRegistry\t%s\nmeta\tauthUser\t%s\nmeta\tauthPassword\t%s\nmeta\tbaseImage\t%s\n' \
  "$OPEN_REGISTRY" "$AUTH_REGISTRY" "$AUTH_USER" "$AUTH_PASSWORD" "$BASE_IMAGE" >>"$RECORDS"

build_fixture() { # name dir predictor labels hash ref
  local name=$1 dir=$2 predictor=$3 labels=$4 hash=$5 ref=$6 ctx schema config
  schema=$(python3 "$HELPER" compact-json "$dir/openapi.json") || die "$dir/openapi.json is not valid JSON"
  config=$(python3 "$HELPER" cog-config "$dir/cog.yaml") || die "cannot read $dir/cog.yaml"
  local -a label_args=(--label "cogdesk.fixture-hash=$hash" --label "cogdesk.fixture=$name")
  case "$labels" in
  current)
    label_args+=(--label "run.cog.openapi_schema=$schema" --label "run.cog.config=$config"
      --label "run.cog.version=0.15.5") ;;
  legacy)
    label_args+=(--label "org.cogmodel.openapi_schema=$schema" --label "org.cogmodel.config=$config"
      --label "org.cogmodel.cog_version=$LEGACY_COG_VERSION") ;;
  bad)
    [ -f "$dir/openapi-label.txt" ] || die "$dir/openapi-label.txt missing (the broken schema label)"
    label_args+=(--label "run.cog.openapi_schema=$(cat "$dir/openapi-label.txt")" --label "run.cog.config=$config"
      --label "run.cog.version=0.15.5") ;;
  coglet)
    # A coglet image: built by Cog >= 0.17, with coglet in its pip freeze.
    label_args+=(--label "run.cog.openapi_schema=$schema" --label "run.cog.config=$config"
      --label "run.cog.version=$COGLET_VERSION"
      --label "run.cog.pip_freeze=coglet==$COGLET_VERSION
cog==$COGLET_VERSION
typing_extensions==4.12.2") ;;
  go)
    # A Go cog-runtime image: cog.yaml says build.cog_runtime: true (env R8_COG_VERSION=coglet, from fixture.conf).
    label_args+=(--label "run.cog.openapi_schema=$schema" --label "run.cog.config=$config"
      --label "run.cog.version=$GO_RUNTIME_COG_VERSION") ;;
  none) ;;
  *) die "$dir/fixture.conf: unknown labels=$labels (current|legacy|bad|coglet|go|none)" ;;
  esac
  ctx=$(mktemp -d /var/tmp/cogdesk-fixture.XXXXXX)
  local server main
  local -a build_args=()
  server=$(conf_value "$dir/fixture.conf" server)
  cp "$SERVER_PY" "$ctx/server.py"
  cp "$dir/openapi.json" "$ctx/openapi.json"
  case "$server" in
  "") cp "$DOCKERFILE" "$ctx/Dockerfile" ;;
  coglet | go)
    main=coglet_server.py
    [ "$server" = go ] && main=go_server.py
    cp "$MODERN_DOCKERFILE" "$ctx/Dockerfile"
    for f in "${MODERN_SOURCES[@]}"; do cp "$SERVER_DIR/$f" "$ctx/$f"; done
    sed -n 's/^env=//p' "$dir/fixture.conf" | while IFS= read -r kv; do printf 'ENV %s\n' "$kv"; done >>"$ctx/Dockerfile"
    build_args+=(--build-arg "COG_FIXTURE_MAIN=$main") ;;
  *)
    rm -rf "$ctx"
    die "$dir/fixture.conf: unknown server=$server (coglet|go, or none for the legacy server)" ;;
  esac
  local old_id
  old_id=$(docker image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
  log "building $ref"
  if ! docker build --pull=false -t "$ref" --build-arg "COG_FIXTURE_PREDICTOR=$predictor" "${build_args[@]}" "${label_args[@]}" "$ctx" \
    >"$LOG_DIR/build-$name.log" 2>&1; then
    rm -rf "$ctx"
    tail -n 20 "$LOG_DIR/build-$name.log" >&2
    die "docker build of $ref failed (log: $LOG_DIR/build-$name.log)"
  fi
  rm -rf "$ctx"
  # Drop the image this one replaces (fails harmlessly while a container still uses it).
  if [ -n "$old_id" ] && [ "$old_id" != "$(docker image inspect --format '{{.Id}}' "$ref")" ]; then
    docker rmi "$old_id" >/dev/null 2>&1 || true
  fi
  BUILT=$((BUILT + 1))
}

push_image() { # ref logname [docker global args...]
  local ref=$1 logname=$2
  shift 2
  log "pushing $ref"
  if ! docker "$@" push "$ref" >"$LOG_DIR/push-$logname.log" 2>&1; then
    tail -n 20 "$LOG_DIR/push-$logname.log" >&2
    die "docker push $ref failed (log: $LOG_DIR/push-$logname.log)"
  fi
  PUSHED=$((PUSHED + 1))
}

remote_state() { # registry repo [user password] -> "digest config hash" or "missing"
  python3 "$HELPER" registry-image "$1" "$2" latest "${@:3}" || die "cannot read $2 from registry $1"
}

ensure_fixture() { # name dir
  local name=$1 dir=$2 predictor labels hash ref remote
  [ -f "$dir/fixture.conf" ] && [ -f "$dir/openapi.json" ] && [ -f "$dir/cog.yaml" ] ||
    die "$dir needs fixture.conf, openapi.json and cog.yaml"
  predictor=$(conf_value "$dir/fixture.conf" predictor)
  labels=$(conf_value "$dir/fixture.conf" labels)
  [ -n "$predictor" ] && [ -n "$labels" ] || die "$dir/fixture.conf needs predictor= and labels="
  hash=$(fixture_hash "$dir")
  ref="$OPEN_REGISTRY/fixtures/$name:latest"
  remote=$(remote_state "$OPEN_REGISTRY" "fixtures/$name")
  if [ "${remote##* }" != "$hash" ]; then
    [ "$(local_hash "$ref")" = "$hash" ] || build_fixture "$name" "$dir" "$predictor" "$labels" "$hash" "$ref"
    push_image "$ref" "$name"
    remote=$(remote_state "$OPEN_REGISTRY" "fixtures/$name")
    [ "${remote##* }" = "$hash" ] || die "after pushing $ref the registry still serves another image ($remote)"
  fi
  read -r digest config _ <<<"$remote"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tno\n' "$name" "$ref" "$digest" "$config" "$predictor" "$labels" "$hash" >>"$RECORDS"
  HASHES[$name]=$hash
}

count=0
for dir in "$FIXTURES_DIR"/*/; do
  dir=${dir%/}
  ensure_fixture "$(basename "$dir")" "$dir"
  count=$((count + 1))
done
[ "$count" -gt 0 ] || die "no fixtures under $FIXTURES_DIR"
node "$HERE/managed-weights.mjs" "$OPEN_REGISTRY" || die "the managed-weights fixture (an OCI index with weights) failed"

# echo again, behind basic auth.
[ -n "${HASHES[echo]:-}" ] || die "the echo fixture ($FIXTURES_DIR/echo) is missing"
FIXTURE_HASH=${HASHES[echo]}
echo_ref="$OPEN_REGISTRY/fixtures/echo:latest"
private_ref="$AUTH_REGISTRY/private/echo:latest"
remote=$(remote_state "$AUTH_REGISTRY" private/echo "$AUTH_USER" "$AUTH_PASSWORD")
if [ "${remote##* }" != "$FIXTURE_HASH" ]; then
  if [ "$(local_hash "$echo_ref")" != "$FIXTURE_HASH" ]; then
    docker pull "$echo_ref" >"$LOG_DIR/pull-echo.log" 2>&1 || die "docker pull $echo_ref failed (log: $LOG_DIR/pull-echo.log)"
  fi
  docker tag "$echo_ref" "$private_ref"
  # A throw-away client config: the host's ~/.docker/config.json is never touched.
  DOCKER_TMP_CONFIG=$(mktemp -d /var/tmp/cogdesk-docker-config.XXXXXX)
  if ! printf '%s' "$AUTH_PASSWORD" | docker --config "$DOCKER_TMP_CONFIG" login -u "$AUTH_USER" --password-stdin "$AUTH_REGISTRY" \
    >"$LOG_DIR/login.log" 2>&1; then
    rm -rf "$DOCKER_TMP_CONFIG"
    die "docker login $AUTH_REGISTRY failed (log: $LOG_DIR/login.log)"
  fi
  push_ok=1
  (push_image "$private_ref" private-echo --config "$DOCKER_TMP_CONFIG") || push_ok=
  docker --config "$DOCKER_TMP_CONFIG" logout "$AUTH_REGISTRY" >/dev/null 2>&1 || true
  rm -rf "$DOCKER_TMP_CONFIG"
  # Untag: a test pulling from the auth registry must really go through the registry.
  docker rmi "$private_ref" >/dev/null 2>&1 || true
  [ -n "$push_ok" ] || die "pushing $private_ref failed"
  PUSHED=$((PUSHED + 1))
  remote=$(remote_state "$AUTH_REGISTRY" private/echo "$AUTH_USER" "$AUTH_PASSWORD")
  [ "${remote##* }" = "$FIXTURE_HASH" ] || die "after pushing $private_ref the registry still serves another image ($remote)"
fi
read -r digest config _ <<<"$remote"
printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\tyes\n' private-echo "$private_ref" "$digest" "$config" echo current "$FIXTURE_HASH" >>"$RECORDS"

# ---------------------------------------------------------------------------------------------------
# 6. fixtures.json
# ---------------------------------------------------------------------------------------------------
python3 "$HELPER" write-manifest "$STATE_DIR/fixtures.json" "$RECORDS" || die "cannot write $STATE_DIR/fixtures.json"
rm -f "$RECORDS"

echo "cogdesk test env ready in $(($(date +%s) - T0))s: docker $(docker version --format '{{.Server.Version}}' 2>/dev/null)," \
  "registries $OPEN_REGISTRY (open) + $AUTH_REGISTRY (auth), $((count + 1)) fixture images" \
  "($BUILT built, $PUSHED pushed) -> $STATE_DIR/fixtures.json"
