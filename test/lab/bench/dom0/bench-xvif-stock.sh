# bench-xvif-stock: make bench's phase for backend xvif x frontend stock (see
# bench-lib.sh; a make bench boot runs the four phases in a row).
# lab-timeout: 600
. /lab/scenarios/bench-lib.sh
bench_pair xvif stock
