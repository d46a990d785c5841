# common/: the protocol core. Included by the top-level Makefile.
#
#   build/common/libxvifcommon.a      -O2, for the daemon and tools
#   build/common-san/libxvifcommon.a  ASan+UBSan, for sanitizer test builds
#   build/common-ffs/*.o              -ffreestanding compile check (kernel-safe)
#   build/unit/, build/unit-san/      cmocka tests from common/tests/

COMMON_SRCS := $(sort $(wildcard common/*.c))
COMMON_HDRS := $(wildcard common/*.h)
COMMON_OBJS := $(COMMON_SRCS:common/%.c=$(BUILD)/common/%.o)
COMMON_SAN_OBJS := $(COMMON_SRCS:common/%.c=$(BUILD)/common-san/%.o)
COMMON_FFS_OBJS := $(COMMON_SRCS:common/%.c=$(BUILD)/common-ffs/%.o)
COMMON_LIB := $(BUILD)/common/libxvifcommon.a
COMMON_SAN_LIB := $(BUILD)/common-san/libxvifcommon.a
export COMMON_LIB COMMON_SAN_LIB

UNIT_SRCS := $(sort $(wildcard common/tests/test_*.c))
UNIT_BINS := $(UNIT_SRCS:common/tests/%.c=$(BUILD)/unit/%)
UNIT_SAN_BINS := $(UNIT_SRCS:common/tests/%.c=$(BUILD)/unit-san/%)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: common unit
common: $(COMMON_LIB) $(COMMON_SAN_LIB) $(COMMON_FFS_OBJS)

$(BUILD)/common/%.o: common/%.c $(COMMON_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) -Icommon -c $< -o $@

$(BUILD)/common-san/%.o: common/%.c $(COMMON_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) $(SAN_FLAGS) -Icommon -c $< -o $@

# Kernel-safety check: no hosted libc, no allocation. Linking nothing but
# memcpy/memset/memcmp is checked by the nm test in common/tests/run.sh.
$(BUILD)/common-ffs/%.o: common/%.c $(COMMON_HDRS)
	@mkdir -p $(@D)
	$(CC) -O2 -Wall -Wextra -Werror -std=gnu11 -ffreestanding -fno-builtin-malloc -Icommon -c $< -o $@

$(COMMON_LIB): $(COMMON_OBJS)
	@rm -f $@; ar rcs $@ $^

$(COMMON_SAN_LIB): $(COMMON_SAN_OBJS)
	@rm -f $@; ar rcs $@ $^

$(BUILD)/unit/%: common/tests/%.c $(COMMON_LIB) $(wildcard common/tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) -Icommon -Icommon/tests $< $(COMMON_LIB) $(CMOCKA_LIBS) -o $@

$(BUILD)/unit-san/%: common/tests/%.c $(COMMON_SAN_LIB) $(wildcard common/tests/*.h)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_USER) $(SAN_FLAGS) -Icommon -Icommon/tests $< $(COMMON_SAN_LIB) $(CMOCKA_LIBS) -o $@

# The unit step: plain and sanitizer builds of every test, plus the
# freestanding symbol check. Results: unit.txt, unit-san.txt, common-ffs.txt.
unit: common $(UNIT_BINS) $(UNIT_SAN_BINS)
	@mkdir -p $(RESULTS)
	@mk/run-cmocka.sh $(RESULTS)/unit.txt $(UNIT_BINS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		mk/run-cmocka.sh $(RESULTS)/unit-san.txt $(UNIT_SAN_BINS)
	@common/tests/check-freestanding.sh $(RESULTS)/common-ffs.txt $(COMMON_FFS_OBJS)
