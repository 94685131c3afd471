#!/bin/bash
# export_settings: export.fcgi refuses to start on a size setting that is not
# a whole number in range, with a line naming the variable, instead of
# reading "1G" as 1 MB or "50k" rows as 50 (strtoull stopped at the letter).
source "$(dirname "$0")/../lib.sh"

EXPORTER=${EXPORT_PROGRAM:-$OUT/cgi-bin/export.fcgi}
for setting in COVID_CACHE_MAX_MB=1G COVID_CACHE_MAX_MB=0 \
    COVID_CACHE_MAX_MB=-1 COVID_CACHE_MAX_MB=99999999999999999999 \
    COVID_EXPORT_SHEET_ROWS=50k COVID_EXPORT_SHEET_ROWS=1 \
    COVID_EXPORT_SHEET_ROWS=1048577; do
	name=${setting%%=*}
	# stdin is /dev/null: a program that started would fail to accept, not
	# hang; timeout bounds it either way.
	env COVID_DB="$T/none.db" "$setting" timeout 10 "$EXPORTER" \
	    </dev/null >"$T/out" 2>"$T/err"
	check_eq "$setting: the program exits 1" "$?" 1
	check_contains "$setting: stderr names the variable" "$T/err" "$name: '${setting#*=}' is not a whole number"
done
