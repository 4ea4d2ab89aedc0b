#!/usr/bin/env bash
# npm test: lints, installs what the tests need, builds, type-checks, then runs every test:
# unit tests (vitest) and end-to-end tests (Playwright, Debian's Chromium, a test cluster
# of network namespaces with real sshd and CRIU). Where the Electron binary exists, the
# end-to-end tests run a second time against the real Electron app.
set -euo pipefail
cd "$(dirname "$0")/../.."

step() { printf '\n== %s\n' "$*"; }

# Lint first: it needs nothing built and fails in seconds on a broken layer or a sloppy line.
step "lint"
npm run --silent lint

step "prerequisites"
bash e2e/setup/install-prereqs.sh
# The CRIU that install-prereqs.sh unpacked is found by the agents through MOSIXVIEW_CRIU.
if [ -z "${MOSIXVIEW_CRIU:-}" ] && [ -x /opt/mosixview-criu/bin/criu ]; then export MOSIXVIEW_CRIU=/opt/mosixview-criu/bin/criu; fi

step "build"
node build/build.mjs

step "type check"
npx tsc -p tsconfig.json

step "unit tests"
npx vitest run

step "end-to-end tests (headless mode in Chromium)"
npx playwright test -c e2e/playwright.config.ts

if node build/electronBinary.mjs >/dev/null; then
  step "end-to-end tests (Electron app)"
  if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
    MOSIXVIEW_E2E_ELECTRON=1 xvfb-run -a npx playwright test -c e2e/playwright.config.ts
  else
    MOSIXVIEW_E2E_ELECTRON=1 npx playwright test -c e2e/playwright.config.ts
  fi
else
  echo "(Electron binary not installed: the Electron run of the end-to-end tests needs it; the headless run above covers the same UI)"
fi
