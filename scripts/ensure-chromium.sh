#!/usr/bin/env bash
# ensure-chromium.sh makes sure Debian's Chromium is at /usr/bin/chromium for
# the browser tests. Playwright's own browser download cannot work here (only
# Debian's and npm's registries are reachable), so the tests launch this one.
# Idempotent: does nothing, and prints nothing, when Chromium is there.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if [ -x /usr/bin/chromium ]; then
	exit 0
fi
apt_install chromium
if ! /usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1; then
	note "chromium was installed but does not run: /usr/bin/chromium --version failed"
	exit 1
fi
note "installed $(/usr/bin/chromium --version 2>/dev/null)"
