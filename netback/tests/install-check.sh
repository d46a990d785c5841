#!/bin/bash
# `make install DESTDIR=... PREFIX=...` lays down the daemon and the unit
# (with ExecStart pointing at the installed daemon); `make uninstall` removes
# exactly those. One result line per check into $1.
# usage: tests/install-check.sh RESULTS_FILE
set -u
out=$1
here=$(cd "$(dirname "$0")/.." && pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
: > "$out"
res() { echo "$1 netback-install/$2${3:+ $3}" >> "$out"; echo "$1 netback-install/$2${3:+ $3}"; }
if ! make -s -C "$here" install DESTDIR="$d" PREFIX=/usr > "$d.log" 2>&1; then
	res FAIL install "make install failed: $(tail -n 2 "$d.log" | tr '\n' ' ')"
	rm -f "$d.log"
	exit 0
fi
rm -f "$d.log"
[ -x "$d/usr/sbin/xvif-netback" ] && res PASS daemon || res FAIL daemon "no $d/usr/sbin/xvif-netback"
u="$d/lib/systemd/system/xvif-netback.service"
if [ -f "$u" ] && grep -q '^ExecStart=/usr/sbin/xvif-netback run$' "$u" && grep -q '^Type=notify$' "$u"; then
	res PASS unit
else
	res FAIL unit "unit missing or ExecStart/Type wrong"
fi
make -s -C "$here" uninstall DESTDIR="$d" PREFIX=/usr > /dev/null 2>&1
left=$(find "$d" -type f | head -n 3)
[ -z "$left" ] && res PASS uninstall || res FAIL uninstall "left behind: $left"
