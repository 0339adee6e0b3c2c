#!/usr/bin/env bash
# Stops the two test registries that scripts/test-env/setup.sh started (127.0.0.1:5100 and :5101).
# Leaves dockerd, the images, the registry storage and the cached rootfs tarball alone; add --purge to
# also delete the registries' storage (the next setup.sh then pushes every fixture again).
set -euo pipefail

STATE_DIR=/var/lib/cogdesk-test
purge=
case "${1:-}" in
--purge) purge=1 ;;
"") ;;
*)
  echo "usage: $0 [--purge]" >&2
  exit 2
  ;;
esac

for name in open auth; do
  pidfile="$STATE_DIR/registry-$name.pid"
  [ -f "$pidfile" ] || continue
  pid=$(cat "$pidfile")
  # Only a process that really is our registry (the pid may have been reused).
  if [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] &&
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q "docker-registry serve $STATE_DIR/registry-$name.yml"; then
    kill "$pid"
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" || true; fi
    echo "stopped registry $name (pid $pid)"
  fi
  rm -f "$pidfile"
done

if [ -n "$purge" ]; then
  rm -rf --one-file-system "$STATE_DIR/registry-open" "$STATE_DIR/registry-auth" "$STATE_DIR/fixtures.json"
  echo "removed the registries' storage and fixtures.json"
fi
