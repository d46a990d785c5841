# netback/dp.mk: the data-path engine's sources, libraries, tests and bench.
# Included by netback/Makefile (`include dp.mk`); also usable alone:
#     make -C netback -f dp.mk dp-check
#     make -C netback -f dp.mk bench-engine
# Paths are relative to netback/.
#
#   DP_SRCS   engine + real hypervisor ops, for the daemon
#   DP_LIBS   what the daemon links for them
#   dp-check  cmocka tests (plain and ASan+UBSan) on the fake grant table:
#             $(RESULTS)/netback-engine.txt, $(RESULTS)/netback-engine-san.txt
#   bench-engine  in-process throughput on the fake grant table (reported only)

# Included before the includer's own first target: do not become the default goal.
DP_SAVED_GOAL := $(.DEFAULT_GOAL)

DP_TOP ?= ..
DP_BUILD ?= $(if $(BUILD),$(BUILD),$(abspath $(DP_TOP)/build))
RESULTS ?= $(DP_BUILD)/results
CFLAGS_USER ?= -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
SAN_FLAGS ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The engine proper (no libxen), then the real ops.
DP_ENGINE_SRCS := dp_vif.c dp_loop.c dp_ring.c dp_tx.c dp_rx.c dp_ctrl.c
DP_SRCS := $(DP_ENGINE_SRCS) dp_xen.c
DP_LIBS := -lxengnttab -lxenevtchn -lpthread
DP_HDRS := dp.h dp_int.h dp_ops.h counters.h log.h

DP_COMMON_LIB ?= $(if $(COMMON_LIB),$(COMMON_LIB),$(DP_BUILD)/common/libxvifcommon.a)
DP_COMMON_SAN_LIB ?= $(if $(COMMON_SAN_LIB),$(COMMON_SAN_LIB),$(DP_BUILD)/common-san/libxvifcommon.a)
DP_CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
DP_CPPFLAGS := -I. -I$(DP_TOP)/common -Itests

# Tests link the engine, log.c and the fakes; never dp_xen.c.
DP_FAKES := tests/fake_xen.c tests/fake_front.c
DP_TEST_LINK_SRCS := $(DP_ENGINE_SRCS) log.c $(DP_FAKES)
DP_TEST_HDRS := $(DP_HDRS) $(DP_FAKES:.c=.h)
DP_TESTS := $(sort $(wildcard tests/test_dp_*.c))
DP_TEST_BINS := $(DP_TESTS:tests/%.c=$(DP_BUILD)/netback-dp/%)
DP_TEST_SAN_BINS := $(DP_TESTS:tests/%.c=$(DP_BUILD)/netback-dp-san/%)
DP_BENCH_BIN := $(DP_BUILD)/netback-dp/bench_dp

.PHONY: dp-check dp-tests bench-engine dp-common

$(DP_COMMON_LIB) $(DP_COMMON_SAN_LIB):
	$(MAKE) -C $(DP_TOP) common

# test_dp_tx and test_dp_rx watch every rsp_prod the engine publishes
# (tests/ring_watch.h hooks the ring macros' barriers).
DP_RING_WATCH := -include tests/ring_watch.h
$(DP_BUILD)/netback-dp/test_dp_tx $(DP_BUILD)/netback-dp/test_dp_rx \
$(DP_BUILD)/netback-dp-san/test_dp_tx $(DP_BUILD)/netback-dp-san/test_dp_rx: DP_TEST_EXTRA := $(DP_RING_WATCH)
$(DP_BUILD)/netback-dp/test_dp_tx $(DP_BUILD)/netback-dp/test_dp_rx \
$(DP_BUILD)/netback-dp-san/test_dp_tx $(DP_BUILD)/netback-dp-san/test_dp_rx: tests/ring_watch.h

$(DP_BUILD)/netback-dp/%: tests/%.c $(DP_TEST_LINK_SRCS) $(DP_TEST_HDRS) $(DP_COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) $(DP_CPPFLAGS) $(DP_TEST_EXTRA) $< $(DP_TEST_LINK_SRCS) $(DP_COMMON_LIB) $(DP_CMOCKA_LIBS) -lpthread -o $@

$(DP_BUILD)/netback-dp-san/%: tests/%.c $(DP_TEST_LINK_SRCS) $(DP_TEST_HDRS) $(DP_COMMON_SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) $(SAN_FLAGS) $(DP_CPPFLAGS) $(DP_TEST_EXTRA) $< $(DP_TEST_LINK_SRCS) $(DP_COMMON_SAN_LIB) $(DP_CMOCKA_LIBS) -lpthread -o $@

dp-tests: $(DP_TEST_BINS) $(DP_TEST_SAN_BINS)

dp-check: dp-tests
	@mkdir -p $(RESULTS)
	@$(DP_TOP)/mk/run-cmocka.sh $(RESULTS)/netback-engine.txt $(DP_TEST_BINS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		$(DP_TOP)/mk/run-cmocka.sh $(RESULTS)/netback-engine-san.txt $(DP_TEST_SAN_BINS)

$(DP_BENCH_BIN): tests/bench_dp.c $(DP_TEST_LINK_SRCS) $(DP_TEST_HDRS) $(DP_COMMON_LIB)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) $(DP_CPPFLAGS) $< $(DP_TEST_LINK_SRCS) $(DP_COMMON_LIB) -lpthread -lm -o $@

# A figure, never a verdict: packets/s (median, wall clock) and instructions
# per packet (callgrind, repeatable) for TX and RX at 64 B, 1500 B and
# 64 KiB GSO, next to a copy-only floor. Table on stdout and in
# $(RESULTS)/bench-engine.txt; JSON in $(DP_BENCH_DIR)/engine-latest.json
# (+ a timestamped copy); callgrind profiles in $(DP_BENCH_DIR)/callgrind/.
# BENCH_SECONDS (0.5) and BENCH_REPS (3) tune the wall-clock runs.
DP_BENCH_DIR ?= $(DP_BUILD)/bench
bench-engine: $(DP_BENCH_BIN)
	@mkdir -p $(RESULTS) $(DP_BENCH_DIR)
	@{ $(DP_BENCH_BIN) --out $(DP_BENCH_DIR) || \
		echo "bench-engine: the benchmark stopped early: the figures above are partial"; } | \
		tee $(RESULTS)/bench-engine.txt

.DEFAULT_GOAL := $(DP_SAVED_GOAL)
