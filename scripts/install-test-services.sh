#!/usr/bin/env bash
# The end-to-end tests drive real services from Debian's packages: Chromium for the browser test and
# a PostgreSQL server for the production-profile tests. Installs whichever is missing (needs root or sudo).
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/initdb' > /dev/null || missing+=(postgresql)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing Debian packages for the end-to-end tests: ${missing[*]}"
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
