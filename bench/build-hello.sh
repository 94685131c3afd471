#!/bin/sh
# bench/build-hello.sh: builds bench/hello.c, the reference FastCGI program.
# The Makefile builds only cgi-bin/*.c, so this uses its flags by hand:
# the same warnings, -O2, libfcgi through pkg-config.
# Usage: build-hello.sh OUTPUT [extra cc arguments, e.g. -DHELLO_NAME='"x"']
set -eu
[ $# -ge 1 ] || { echo "usage: build-hello.sh OUTPUT [cc args...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
out=$1; shift
# Keep in step with WARN in the Makefile.
warn="-std=c11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes
      -Wwrite-strings -Wshadow -Wformat=2"
# shellcheck disable=SC2046,SC2086
${CC:-cc} $warn -O2 -g -D_DEFAULT_SOURCE $(pkg-config --cflags fcgi) "$@" \
	-o "$out" "$here/hello.c" $(pkg-config --libs fcgi)
