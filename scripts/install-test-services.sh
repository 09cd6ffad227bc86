#!/usr/bin/env bash
# The end-to-end tests drive real services from Debian's packages: Chromium for the browser test and
# a PostgreSQL server for the production-profile tests; git for the GitHub stand-in's repositories.
# Installs whichever is missing (needs root or sudo).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || missing+=(postgresql)
command -v git > /dev/null || missing+=(git)
[ ${#missing[@]} -eq 0 ] && exit 0

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo > /dev/null && sudo -n true 2> /dev/null; then as_root=(sudo); else as_root=(unavailable); fi
fi
if ! command -v apt-get > /dev/null || [ "${as_root[*]}" = unavailable ]; then
  # Not Debian, or no root: the tests that need them say what is missing when they run.
  echo "Not installing ${missing[*]} (needs apt-get and root or sudo): the tests that need them will fail until they are installed." >&2
  exit 0
fi

echo "Installing Debian packages for the end-to-end tests: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
