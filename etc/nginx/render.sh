#!/bin/sh
# etc/nginx/render.sh: renders a config template by replacing @NAME@ with
# the value of the environment variable NAME, for each NAME given.
# Usage: PORT=8080 RUN=/x ... render.sh TEMPLATE NAME... > nginx.conf
# Fails, writing nothing useful, when a placeholder is left unreplaced, so a
# config never reaches nginx with a literal "@RUN@" in a path. A placeholder
# with a default, @NAME=VALUE@, becomes $NAME when NAME is given, else VALUE.
set -eu
tpl=$1; shift
script=
for name in "$@"; do
	eval "value=\${$name?render.sh: $name is not set}"
	# Escape what is special on the right of s|||: backslash, '&' and '|'.
	value=$(printf '%s\n' "$value" | sed -e 's/[\\&|]/\\&/g')
	script="${script}s|@${name}@|${value}|g
s|@${name}=[^@]*@|${value}|g
"
done
script="${script}s|@[A-Z_][A-Z_]*=\([^@]*\)@|\1|g
"
out=$(sed -e "$script" "$tpl")
left=$(printf '%s\n' "$out" | grep -o '@[A-Z_][A-Z_]*@' | sort -u | tr '\n' ' ' || true)
if [ -n "$left" ]; then
	echo "render.sh: $tpl: no value for $left" >&2
	exit 1
fi
printf '%s\n' "$out"
