#!/usr/bin/env bash
# install-hugo.sh installs Hugo (the standard edition, built from source with `go install`, no binary
# download) into a cache folder, and prints the path of the binary. It does nothing if that version is
# already there.
#
#	bench/install-hugo.sh            # → $HOME/.cache/vitrine-bench/hugo/v0.160.0/hugo
#	HUGO_VERSION=v0.160.0 HUGO_CACHE=/tmp/hugo bench/install-hugo.sh
#
# Compiling Hugo takes several minutes on two cores.
set -euo pipefail

version="${HUGO_VERSION:-v0.160.0}"
cache="${HUGO_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vitrine-bench/hugo}"
bindir="$cache/$version"
hugo="$bindir/hugo"

if [[ -x "$hugo" ]] && "$hugo" version 2>/dev/null | grep -q "${version}"; then
	echo "$hugo"
	exit 0
fi

mkdir -p "$bindir"
echo "install-hugo: go install github.com/gohugoio/hugo@$version into $bindir (several minutes)" >&2
# CGO is not needed for the standard edition; GOFLAGS is cleared so a project's -mod setting does not apply.
GOBIN="$bindir" GOFLAGS= go install "github.com/gohugoio/hugo@$version" >&2
"$hugo" version >&2
echo "$hugo"
