#!/usr/bin/env bash
# Install Debian packages if missing: as root directly, else with passwordless sudo, else print
# the exact command for an administrator and fail.
set -euo pipefail
missing=()
for pkg in "$@"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  echo "installing system packages: ${missing[*]}"
  bash -c "$cmd"
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
  echo "installing system packages with sudo: ${missing[*]}"
  sudo bash -c "$cmd"
else
  echo "ilmio needs the system packages: ${missing[*]}" >&2
  echo "ask an administrator to run:  sudo bash -c '$cmd'" >&2
  exit 1
fi
