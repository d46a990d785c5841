#!/bin/bash
# Kernel-safety of common/: each object, compiled -ffreestanding, may call
# nothing outside common/ but memcpy, memset, memcmp and memmove (the kernel
# provides those). Anything else (malloc, printf, strtoul...) is a FAIL.
# usage: check-freestanding.sh RESULTS_FILE OBJ...
set -u
out=$1; shift
allowed=' memcpy memset memcmp memmove '
: > "$out"
defined=$(nm --defined-only "$@" 2>/dev/null | awk 'NF==3{print $3}' | sort -u)
for o in "$@"; do
	bad=""
	for s in $(nm --undefined-only "$o" | awk '{print $2}'); do
		case "$allowed" in *" $s "*) continue;; esac
		grep -qx "$s" <<<"$defined" && continue
		bad="$bad $s"
	done
	if [ -z "$bad" ]; then echo "PASS freestanding/$(basename "$o" .o)" >> "$out"
	else echo "FAIL freestanding/$(basename "$o" .o) calls outside common/:$bad" >> "$out"; echo "freestanding: $o calls$bad"; fi
done
