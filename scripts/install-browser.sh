#!/usr/bin/env bash
# System packages for tests/test_browser.py: Debian's Chromium, driven by the `playwright`
# Python package (from the `test` extra). Never `playwright install`: that downloads a
# browser build of its own, which this project does not use. DejaVu Sans draws the Arabic
# script in the screenshots.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core
