#!/bin/bash
# Sum the result files every test suite writes and print the closing line.
# Each suite writes build/results/<suite>.txt, one line per test:
#   PASS <name> [detail]
#   FAIL <name> [detail]
#   SKIP <name> <reason>
# usage: mk/summary.sh RESULTS_DIR [SUITE...]   (no SUITE: all files)
# Prints failed and skipped tests, then "N passed, N failed, N skipped".
# Exits 1 if any test failed or a named suite left no results.
set -u
dir=$1; shift
files=()
rc=0
if [ $# -eq 0 ]; then
	for f in "$dir"/*.txt; do [ -e "$f" ] && files+=("$f"); done
else
	for s in "$@"; do
		if [ -e "$dir/$s.txt" ]; then files+=("$dir/$s.txt")
		else echo "summary: suite '$s' wrote no results ($dir/$s.txt missing)"; rc=1; fi
	done
fi
p=0; f=0; s=0
for file in "${files[@]}"; do
	suite=$(basename "$file" .txt)
	while read -r verdict name rest; do
		case "$verdict" in
		PASS) p=$((p+1));;
		FAIL) f=$((f+1)); echo "FAIL  $suite: $name $rest";;
		SKIP) s=$((s+1)); echo "SKIP  $suite: $name ($rest)";;
		esac
	done < "$file"
done
[ $f -eq 0 ] || rc=1
echo "$p passed, $f failed, $s skipped"
exit $rc
