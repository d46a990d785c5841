#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# xlconf-edit.sh: set or restore vif.default.script in xl.conf, keeping
# every other line of the admin's file as it is.
#
#   xlconf-edit.sh install FILE SCRIPT   make SCRIPT the default vif script
#   xlconf-edit.sh uninstall FILE        undo what install did
#
# install comments out each active vif.default.script line with the prefix
# "#xvif-saved# " and appends a marker comment plus the new setting; it
# first undoes any earlier install, so running it twice changes nothing.
# uninstall removes the marker and the line after it and uncomments the
# saved lines; a file left empty (install created it) is removed.
set -eu -o pipefail

MARK='# xvif: the next line was set by make install of xvif; make uninstall restores the previous value'
SAVED='#xvif-saved# '

usage() {
	echo "usage: $0 install FILE SCRIPT | uninstall FILE" >&2
	exit 2
}

# strip FILE: the content of FILE without xvif's changes, on stdout.
strip() {
	awk -v mark="$MARK" -v saved="$SAVED" '
		skip { skip = 0; if ($0 ~ /^[ \t]*vif\.default\.script[ \t]*=/) next }
		$0 == mark { skip = 1; next }
		index($0, saved) == 1 { print substr($0, length(saved) + 1); next }
		{ print }
	' "$1"
}

# replace FILE TMP: write TMP's content into FILE (keeping FILE's owner and
# mode), then remove TMP.
replace() {
	cat "$2" >"$1"
	rm -f "$2"
}

[ $# -ge 2 ] || usage
op=$1
file=$2
case "$op" in
install)
	[ $# -eq 3 ] || usage
	script=$3
	[[ $script =~ ^[A-Za-z0-9_./-]+$ ]] || { echo "$0: bad script name '$script'" >&2; exit 2; }
	mkdir -p "$(dirname "$file")"
	[ -e "$file" ] || : >"$file"
	tmp=$(mktemp "$file.xvif.XXXXXX")
	strip "$file" | awk -v saved="$SAVED" '
		/^[ \t]*vif\.default\.script[ \t]*=/ { print saved $0; next }
		{ print }
	' >"$tmp"
	printf '%s\nvif.default.script="%s"\n' "$MARK" "$script" >>"$tmp"
	replace "$file" "$tmp"
	;;
uninstall)
	[ $# -eq 2 ] || usage
	[ -e "$file" ] || exit 0
	tmp=$(mktemp "$file.xvif.XXXXXX")
	strip "$file" >"$tmp"
	if [ -s "$tmp" ]; then
		replace "$file" "$tmp"
	else
		rm -f "$file" "$tmp"
	fi
	;;
*) usage ;;
esac
