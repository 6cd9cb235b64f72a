#!/bin/sh
# Installs what Parcours needs on a Debian 12 machine, only when missing:
# Debian packages with apt-get, npm packages with `npm ci` (the lock file).
# Run as root (or with sudo available). Safe to run again.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="build-essential pkg-config clang libclang-rt-14-dev \
  libmicrohttpd-dev libsqlite3-dev sqlite3 libjansson-dev libsodium-dev \
  libxlsxwriter-dev libzip-dev zlib1g-dev libxml2-dev libcmocka-dev libxml2-utils python3 \
  libpango1.0-dev libcairo2-dev fonts-liberation fonts-dejavu-core poppler-utils \
  chromium chromium-l10n unzip wrk curl ca-certificates"

missing=""
for p in $PACKAGES; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing Debian packages:$missing"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Node.js and npm are the machine's own (architecture.md): never Debian's.
if ! command -v npm >/dev/null 2>&1; then
	echo "npm is missing: Parcours uses the machine's own Node.js 20 and npm" >&2
	exit 1
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
	npm ci --ignore-scripts --no-audit --no-fund
fi
