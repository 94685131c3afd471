#!/bin/sh
# bench/run.sh: what `make bench` runs. The portal benchmark is the only one
# so far; see bench/README.md for what it measures and the figures.
exec sh "$(dirname "$0")/portal.sh" "$@"
