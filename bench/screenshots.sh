#!/usr/bin/env bash
# Takes the screenshots of the README: the demo site in both built-in themes (default and galerie), its
# home, a project and an article, on a desktop (1366×900) and a phone (390×844), with Debian's chromium
# in headless mode. Writes docs/screenshot-THEME-PAGE-DEVICE.png, shrunk by bench/shrink (desktop to half
# its size, phone to two thirds) to keep each under about 100 kB.
#
#	bench/screenshots.sh            # all of them
#	bench/screenshots.sh galerie    # one theme
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium not found: apt-get install chromium" >&2; exit 1; }

themes=("${@:-default galerie}")
work=$(mktemp -d)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

go build -o "$work/vitrine" ./cmd/vitrine
go build -o "$work/shrink" ./bench/shrink
port=8937
base="http://127.0.0.1:$port"
pages=(home:/ project:/projects/mariage-au-parc/ article:/posts/lumiere-naturelle-portrait/)
devices=(desktop:1366,900:0.5 phone:390,844:0.67)

for theme in ${themes[@]}; do
  site="$work/site-$theme"
  mkdir -p "$site"
  cp -r content static data "$site/"
  { [ "$theme" = default ] || echo "theme = \"$theme\""; cat vitrine.toml; } > "$site/vitrine.toml"
  "$work/vitrine" build -s "$site" -d "$work/public-$theme" --baseURL "$base/" >/dev/null
  python3 -m http.server --bind 127.0.0.1 --directory "$work/public-$theme" "$port" >/dev/null 2>&1 &
  server=$!
  for _ in $(seq 50); do curl -sf "$base/" >/dev/null 2>&1 && break; sleep 0.1; done
  for p in "${pages[@]}"; do
    for d in "${devices[@]}"; do
      out="docs/screenshot-$theme-${p%%:*}-${d%%:*}.png"
      size=${d#*:}
      scale=${size#*:}
      size=${size%:*}
      rm -f "$out"
      # Chromium under load sometimes crashes on start: tried three times.
      for _ in 1 2 3; do
        chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
          --disable-component-update --disable-sync --user-data-dir="$work/chrome-$RANDOM" --hide-scrollbars \
          --window-size="$size" --virtual-time-budget=4000 --screenshot="$out" "$base${p#*:}" >/dev/null 2>&1 || true
        [ -s "$out" ] && break
      done
      [ -s "$out" ] || { echo "no screenshot of $base${p#*:} at $size" >&2; exit 1; }
      "$work/shrink" -scale "$scale" "$out"
      echo "$out $(stat -c %s "$out") bytes"
    done
  done
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=""
done
