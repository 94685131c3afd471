# layout: the folders' arrows point one way (docs/architecture.md). Each
# src/FOLDER/ file includes only headers of the folders it may use, no file
# under src/ includes a program, and every file opens with a line saying
# what it is for.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT"

declare -A may=(
	[base]="base"
	[store]="base store"
	[ingest]="base store ingest"
	[query]="base query"
	[forecast]="base store query forecast"
	[web]="base web"
	[portal]="base store query web export portal"
	[export]="base store query web export"
	[api]="base store query web api"
	[intake]="base store web intake"
)

for dir in src/*/; do
	folder=$(basename "$dir")
	if [ -z "${may[$folder]+set}" ]; then
		not_ok "src/$folder/ is in docs/architecture.md's table"
		continue
	fi
	bad=
	for f in "$dir"*.[ch]; do
		for used in $(sed -n 's|^#include "\([a-z_]*\)/.*|\1|p' "$f" | sort -u); do
			case " ${may[$folder]} " in
			*" $used "*) ;;
			*) bad="$bad $f->$used" ;;
			esac
		done
	done
	check_eq "src/$folder/ includes only$(printf ' %s' ${may[$folder]})" "${bad# }" ""
done

check_eq "nothing under src/ includes a program" \
	"$(grep -rln '#include "[^"]*cgi-bin\|#include "[^"/]*\.c"' src || true)" ""

untitled=
for f in src/*/*.[ch] cgi-bin/*.c; do
	head -n 1 "$f" | grep -q '^/\* [a-z0-9_-]*: ' || untitled="$untitled $f"
done
check_eq "every source file opens with a line saying what it is for" "${untitled# }" ""
