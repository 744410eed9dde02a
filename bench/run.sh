#!/usr/bin/env bash
# run.sh times vitrine against Hugo and against the floor loop on generated corpora, and prints medians.
#
#	bench/run.sh              # corpora of 1,000 and 10,000 articles
#	bench/run.sh 1000         # one size
#	RUNS=5 bench/run.sh 1000  # more runs (default 3; RUNS_LARGE, default RUNS, for 10,000 and more)
#
# For each size it writes the corpus (bench/corpus), builds vitrine from this checkout, installs Hugo
# (bench/install-hugo.sh) and times, with /usr/bin/time -v, cold builds alternating vitrine, vitrine
# without social cards, Hugo and the floor loop (bench/floor), each into a fresh output folder and without
# any build cache (.vitrine/ and Hugo's resources and cache folders removed); then rebuilds after appending
# a sentence to one article, into the output of the build before, caches left in place. It prints medians
# of wall time, peak memory and CPU time, and the ratios vitrine/Hugo and vitrine/floor. Figures are
# printed, never asserted. Folders are not removed between builds but set aside, and removed once all are
# timed (see discard): removing them slows the file creation of the next build down on this disk. Set
# aside, the outputs of a run at 10,000 articles take a few GB.
#
# "vitrine" is the build a user gets: it also draws two social-card PNGs per article, which Hugo's layouts
# do not. "nocards" is the same corpus with [cards] generate = false in vitrine.toml: the same pages as
# Hugo's, the like-for-like comparison.
#
# Environment: RUNS, RUNS_LARGE, BENCH_WORK (work folder, default a new temporary one, removed at the end
# unless KEEP=1), HUGO (a hugo binary to use instead of installing one), TOOLS (the cold builds to time,
# default "vitrine hugo nocards floor"; drawing the cards makes "vitrine" by far the slowest), WARM=0 to
# skip the rebuilds after an edit, WARM_TOOLS (default "vitrine nocards hugo") to choose them.
set -euo pipefail

cd "$(dirname "$0")/.."
root=$PWD
sizes=("$@")
if [[ ${#sizes[@]} -eq 0 ]]; then sizes=(1000 10000); fi
runs=${RUNS:-3}
runs_large=${RUNS_LARGE:-$runs}

work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/vitrine-bench.XXXXXX")}
mkdir -p "$work/bin"
if [[ -z ${BENCH_WORK:-} && -z ${KEEP:-} ]]; then trap 'rm -rf "$work"' EXIT; fi
results=$work/results.tsv
: >"$results"
cmdlog=$work/commands.txt
: >"$cmdlog"

log() { printf '%s\n' "$*" >&2; }

# discard moves folders out of the way into $work/trash, emptied only once every build is timed. Removing
# them would slow the next timed build down: ext4 without a journal (this machine's disk) will not reuse
# an inode freed in the last minute or more, and scans past every one of them for each file and folder
# it creates (perf shows find_inode_bit → recently_deleted): a build made right after removing the
# 27,000 files and folders of the one before paid about 0.2 ms per file created, ten times the cost on
# a quiet disk, a cost no user meets and the floor loop, which writes nothing, never pays.
trash_n=0
discard() {
	local p
	mkdir -p "$work/trash"
	for p in "$@"; do
		if [[ -e $p ]]; then
			trash_n=$((trash_n + 1))
			mv "$p" "$work/trash/$trash_n"
		fi
	done
}

# show records a command line, once, for the list printed at the end.
show() {
	show_text "$(printf '%q ' "$@")"
}

show_text() {
	grep -qxF -- "$1" "$cmdlog" || printf '%s\n' "$1" >>"$cmdlog"
}

# run_logged runs a setup command (not timed), recording it.
run_logged() {
	show "$@"
	"$@"
}

# measure SIZE TOOL KIND CMD... runs CMD under /usr/bin/time -v and appends a line to results.tsv:
# size, tool, kind, wall seconds, peak RSS in kB, user+system CPU seconds.
measure() {
	local size=$1 tool=$2 kind=$3
	shift 3
	show /usr/bin/time -v "$@"
	if ! /usr/bin/time -v -o "$work/time.txt" "$@" >"$work/last.log" 2>&1; then
		log "run.sh: $tool failed:"
		cat "$work/last.log" >&2
		cat "$work/time.txt" >&2
		exit 1
	fi
	awk -F': ' -v size="$size" -v tool="$tool" -v kind="$kind" '
		/Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3) ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2] }
		/Maximum resident set size/ { rss = $2 }
		/User time \(seconds\)/ { cpu += $2 }
		/System time \(seconds\)/ { cpu += $2 }
		END { printf "%s\t%s\t%s\t%.2f\t%d\t%.2f\n", size, tool, kind, wall, rss, cpu }
	' "$work/time.txt" | tee -a "$results" | awk -F'\t' '{ printf "  %-6s %-8s %-5s %7.2f s  %7.0f MB  cpu %6.2f s\n", $1, $2, $3, $4, $5/1024, $6 }' >&2
}

log "run.sh: work folder $work"
log "run.sh: $(uptime)"
hugo=${HUGO:-$("$root/bench/install-hugo.sh")}
run_logged go build -o "$work/bin/vitrine" ./cmd/vitrine
run_logged go build -o "$work/bin/floor" ./bench/floor
run_logged go build -o "$work/bin/corpus" ./bench/corpus
vitrine=$work/bin/vitrine
floor=$work/bin/floor

cold() {
	local size=$1 tool=$2 site=$3 out=$work/out
	discard "$out" "$site/.vitrine" "$site-nocards/.vitrine" "$site/resources" "$work/hugo-cache" "$site/.hugo_build.lock"
	case $tool in
	vitrine) measure "$size" vitrine cold "$vitrine" build -s "$site" -d "$out" ;;
	nocards) measure "$size" nocards cold "$vitrine" build -s "$site-nocards" -d "$out" ;;
	hugo) measure "$size" hugo cold "$hugo" --source "$site" --destination "$out" --cacheDir "$work/hugo-cache" --noBuildLock ;;
	floor) measure "$size" floor cold "$floor" "$site/content" ;;
	esac
	discard "$out"
}

# warm times rebuilds after appending a sentence to one article, into the output of the build before,
# with whatever cache the tool keeps left in place.
warm() {
	local size=$1 tool=$2 site=$3 count=$4 out=$work/out-warm article
	article=$site/content/posts/$(printf 'article-%05d.md' $((size / 2)))
	cp "$article" "$work/article.orig"
	discard "$out" "$site/.vitrine" "$site/resources" "$work/hugo-cache"
	local build
	case $tool in
	vitrine) build=("$vitrine" build -s "$site" -d "$out") ;;
	nocards)
		article=$site-nocards/content/posts/$(printf 'article-%05d.md' $((size / 2)))
		cp "$article" "$work/article.orig"
		discard "$site-nocards/.vitrine"
		build=("$vitrine" build -s "$site-nocards" -d "$out")
		;;
	hugo) build=("$hugo" --source "$site" --destination "$out" --cacheDir "$work/hugo-cache" --noBuildLock) ;;
	esac
	run_logged "${build[@]}" >/dev/null
	for k in $(seq 1 "$count"); do
		show_text "printf '\\nMise à jour %d.\\n' K >> $article   # K = 1, 2… before each timed rebuild"
		printf '\nMise à jour %d.\n' "$k" >>"$article"
		measure "$size" "$tool" warm "${build[@]}"
	done
	cp "$work/article.orig" "$article"
	discard "$out" "$site/.vitrine" "$site-nocards/.vitrine" "$site/resources" "$work/hugo-cache"
}

for size in "${sizes[@]}"; do
	n=$runs
	if ((size >= 10000)); then n=$runs_large; fi
	site=$work/corpus-$size
	discard "$site" "$site-nocards"
	run_logged "$work/bin/corpus" -n "$size" -o "$site"
	run_logged cp -R "$site" "$site-nocards"
	show_text "printf '\\n[cards]\\ngenerate = false\\n' >> $site-nocards/vitrine.toml"
	printf '\n[cards]\ngenerate = false\n' >>"$site-nocards/vitrine.toml"
	cat "$site"/content/posts/*.md "$site-nocards"/content/posts/*.md >/dev/null # the same page cache for every tool
	log "run.sh: $size articles, $n runs each, $(uptime)"
	read -r -a tools <<<"${TOOLS:-vitrine hugo nocards floor}"
	for r in $(seq 0 $((n - 1))); do
		for i in "${!tools[@]}"; do # rotate the order from one round to the next
			cold "$size" "${tools[$(((r + i) % ${#tools[@]}))]}" "$site"
		done
	done
	if [[ ${WARM:-1} != 0 ]]; then
		read -r -a warm_tools <<<"${WARM_TOOLS:-vitrine nocards hugo}"
		for tool in "${warm_tools[@]}"; do
			warm "$size" "$tool" "$site" "$n"
		done
	fi
	log "run.sh: done with $size, $(uptime)"
done

rm -rf "$work/trash" # only now: see discard

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -F'\t' -v s="$1" -v t="$2" -v k="$3" -v c="$4" '$1 == s && $2 == t && $3 == k { print $c }' "$results" | median; }

echo
echo "vitrine $(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- . 2>/dev/null || echo ' + uncommitted changes'), $("$hugo" version | awk '{ print $1, $2 }'), $(go version | awk '{ print $3 }'), $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
echo "load at the end: $(uptime | sed 's/.*load average/load average/')"
echo
printf '%-7s %-8s %-5s %5s %10s %12s %10s\n' articles tool build runs "wall (s)" "peak RSS (MB)" "CPU (s)"
for size in "${sizes[@]}"; do
	for kind in cold warm; do
		for tool in vitrine nocards hugo floor; do
			count=$(awk -F'\t' -v s="$size" -v t="$tool" -v k="$kind" '$1 == s && $2 == t && $3 == k' "$results" | wc -l)
			((count > 0)) || continue
			printf '%-7s %-8s %-5s %5d %10.2f %12.0f %10.2f\n' "$size" "$tool" "$kind" "$count" \
				"$(col "$size" "$tool" "$kind" 4)" "$(echo "$(col "$size" "$tool" "$kind" 5) / 1024" | bc -l)" "$(col "$size" "$tool" "$kind" 6)"
		done
	done
done
echo
echo "ratios of medians (the issue's goals in brackets); CPU is user + system time, steadier than wall time"
echo "when other processes share the cores"
printf '%-8s %-8s %14s %14s %14s %14s %14s\n' articles vitrine "wall /Hugo" "wall /floor" "CPU /Hugo" "CPU /floor" "RSS /Hugo"
ratio() { if [[ $2 == nan || $1 == nan ]]; then echo nan; else printf "%.${3:-2}f" "$(echo "$1 / $2" | bc -l)"; fi; }
for size in "${sizes[@]}"; do
	hw=$(col "$size" hugo cold 4) fw=$(col "$size" floor cold 4) hr=$(col "$size" hugo cold 5)
	hc=$(col "$size" hugo cold 6) fc=$(col "$size" floor cold 6)
	for tool in vitrine nocards; do
		[[ $(col "$size" $tool cold 4) != nan ]] || continue
		vw=$(col "$size" $tool cold 4) vr=$(col "$size" $tool cold 5) vc=$(col "$size" $tool cold 6)
		printf '%-8s %-8s %14s %14s %14s %14s %14s\n' "$size" "$tool" "$(ratio "$vw" "$hw") [≤0.30]" "$(ratio "$vw" "$fw") [≤1.5]" \
			"$(ratio "$vc" "$hc")" "$(ratio "$vc" "$fc")" "$(ratio "$vr" "$hr" 3) [≤0.125]"
	done
done
if [[ ${WARM:-1} != 0 ]]; then
	echo
	echo "rebuild after editing one article (warm), as a fraction of Hugo's cold build, wall and CPU (goal for"
	echo "vitrine: < 0.05 of the wall time)"
	printf '%-8s %-8s %14s %14s\n' articles tool "wall /Hugo" "CPU /Hugo"
	for size in "${sizes[@]}"; do
		hw=$(col "$size" hugo cold 4) hc=$(col "$size" hugo cold 6)
		for tool in vitrine nocards hugo; do
			[[ $(col "$size" $tool warm 4) != nan ]] || continue
			printf '%-8s %-8s %14s %14s\n' "$size" "$tool" "$(ratio "$(col "$size" $tool warm 4)" "$hw" 3)" "$(ratio "$(col "$size" $tool warm 6)" "$hc" 3)"
		done
	done
fi
echo
echo "commands run (WORK=$work):"
sed "s|$work|\$WORK|g; s|^|  |" "$cmdlog"
