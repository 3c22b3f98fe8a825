#!/usr/bin/env bash
# Installs Debian's chromium and chromium-driver for the browser tests when they are missing.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "Chromium/ChromeDriver belum terpasang: memasang paket Debian chromium dan chromium-driver…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium chromium-driver fonts-dejavu-core >/dev/null
