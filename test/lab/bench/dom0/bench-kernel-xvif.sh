# bench-kernel-xvif: make bench's phase for backend kernel x frontend xvif (see
# bench-lib.sh; a make bench boot runs each phase once per round).
# lab-timeout: 600
. /lab/scenarios/bench-lib.sh
bench_pair kernel xvif
