#!/bin/sh
# Installs the named Debian packages that are missing. As root it runs apt-get;
# otherwise it names the missing packages and fails, so nothing half-works.
set -eu
missing=
# A package counts as present when dpkg has it, or when its command of the
# same name is already on the machine from another package: NodeSource's
# nodejs brings its own npm, and Debian's npm would conflict with it.
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		command -v "$p" >/dev/null 2>&1 ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
	echo "missing Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing Debian packages:$missing"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
