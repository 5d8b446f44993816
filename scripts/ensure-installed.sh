#!/usr/bin/env bash
# Makes sure a program the tests need is installed, installing its Debian packages when it is missing.
#   ensure-installed.sh <program> <package> [<package>...]
# Exits 0 when the program is on the PATH (or at /usr/bin, /usr/sbin) afterwards; otherwise explains what
# to install and exits 1. Installs only as root (or with passwordless sudo) on a machine with apt-get.
set -euo pipefail

program="$1"; shift
found() { command -v "$program" >/dev/null 2>&1 || [ -x "/usr/bin/$program" ] || [ -x "/usr/sbin/$program" ]; }

if found; then
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-installed: '$program' is missing and this machine has no apt-get; install: $*" >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  run=(sudo -n)
else
  echo "ensure-installed: '$program' is missing; install it (Debian/Ubuntu: apt-get install $*)" >&2
  exit 1
fi

echo "ensure-installed: installing $* for '$program'" >&2
# A lock held by another apt run (or the other module's build) is waited for, not failed on.
for attempt in 1 2 3 4 5; do
  if "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 install -y --no-install-recommends "$@" >&2; then
    break
  fi
  "${run[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=120 update -q >&2 || true
done
found || { echo "ensure-installed: '$program' still missing after installing $*" >&2; exit 1; }
