#!/bin/sh
# bench/run.sh: what `make bench` runs, the portal benchmark (a few
# minutes). The ingest and export benchmarks run on their own, as
# `sh bench/ingest.sh` and `sh bench/export.sh` (the export one takes about
# ten minutes: openpyxl writes a million rows three times). All three run
# on the full-scale data (all 1,143 dates) that bench/data.sh builds in
# var/bench/jhu on first use. bench/README.md describes each and has the
# figures.
exec sh "$(dirname "$0")/portal.sh" "$@"
