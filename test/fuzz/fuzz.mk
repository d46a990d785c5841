# libFuzzer targets: test/fuzz/fuzz_<name>.c, each built with ASan+UBSan
# against common/ (and, for engine targets, netback's engine objects listed
# in FUZZ_EXTRA_<name>). Corpus: test/fuzz/corpus/<name>/; every crasher
# found is kept in test/fuzz/crashers/<name>/ and replayed by fuzz-smoke.

FUZZ_CC := clang
FUZZ_FLAGS := -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Icommon
FUZZ_SRCS := $(sort $(wildcard test/fuzz/fuzz_*.c))
# Targets over netback's engine (fuzz_engine*.c) join once netback is
# integrated (mk/integrated.mk); the others need only common/.
FUZZ_NAMES := $(filter-out $(if $(filter netback,$(INTEGRATED)),,engine%),$(FUZZ_SRCS:test/fuzz/fuzz_%.c=%))
FUZZ_BINS := $(FUZZ_NAMES:%=$(BUILD)/fuzz/fuzz_%)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 10

.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(FUZZ_BINS)

$(BUILD)/fuzz/fuzz_%: test/fuzz/fuzz_%.c $(COMMON_SRCS) $(COMMON_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(FUZZ_EXTRA_CFLAGS_$*) $< $(COMMON_SRCS) $(FUZZ_EXTRA_SRCS_$*) -o $@

# Replay corpus and crashers, then fuzz each target briefly.
fuzz-smoke: $(FUZZ_BINS)
	@mkdir -p $(RESULTS)
	@test/fuzz/run.sh smoke $(FUZZ_SMOKE_SECONDS) $(RESULTS)/fuzz.txt $(FUZZ_NAMES)

fuzz: $(FUZZ_BINS)
	@mkdir -p $(RESULTS)
	@test/fuzz/run.sh long $(FUZZ_SECONDS) $(RESULTS)/fuzz.txt $(FUZZ_NAMES)

# Source line/branch coverage of the kept corpus of each target (llvm-cov),
# a figure to read next to libFuzzer's edge count: see test/fuzz/coverage.sh.
.PHONY: fuzz-cov
fuzz-cov:
	@test/fuzz/coverage.sh $(FUZZ_NAMES)
