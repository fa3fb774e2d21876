#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives it; it never downloads one).
# The PDFs carry their own fonts (essor/core/fonts/); DejaVu is only the pages' fallback.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium from Debian's packages…" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 \
    chromium fonts-dejavu-core >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null | head -1
