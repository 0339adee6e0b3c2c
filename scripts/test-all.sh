#!/usr/bin/env bash
# Runs every test on this machine, setting up what they need first (idempotent, fast the second time):
# Debian's Docker engine and registries with the fixture Cog images (scripts/test-env/setup.sh), Debian's
# Chromium for the window's end-to-end tests (scripts/test-env/chromium.sh), the npm
# dependencies, a type check, the build (the CLI tests run the built `cogdesk`), then the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "test environment (Docker engine, registries, fixture images)"
bash scripts/test-env/setup.sh

step "Chromium (the window's end-to-end tests)"
bash scripts/test-env/chromium.sh

step "npm dependencies"
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.cogdesk-lock-hash ] || [ "$(cat node_modules/.cogdesk-lock-hash)" != "$lock_hash" ]; then
  npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.cogdesk-lock-hash
else
  echo "node_modules matches package-lock.json"
fi

step "type check"
npm run typecheck

step "build"
npm run build

step "tests"
npx vitest run "$@"
