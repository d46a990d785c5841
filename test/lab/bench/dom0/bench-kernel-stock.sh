# bench-kernel-stock: make bench's phase for backend kernel x frontend stock (see
# bench-lib.sh; a make bench boot runs the four phases in a row).
# lab-timeout: 600
. /lab/scenarios/bench-lib.sh
bench_pair kernel stock
