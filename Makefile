# xvif top-level build. `make help` lists the targets.
#
# Layout of outputs: everything built goes under build/ except the kernel
# module, which Kbuild builds in netfront/ (netfront/xvif-netfront.ko).
# Every test suite writes build/results/<suite>.txt (see mk/summary.sh).

include mk/versions.env

KDIR ?= /lib/modules/$(LAB_KVER)/build
BUILD := $(CURDIR)/build
RESULTS := $(BUILD)/results
export KDIR BUILD RESULTS LAB_KVER XEN_SERIES

CC ?= cc
CFLAGS_USER := -O2 -g -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
export CFLAGS_USER SAN_FLAGS

.PHONY: all deps check check-fast lab demo fuzz bench bench-engine install uninstall clean help \
	netback netfront scripts unit fuzz-smoke check-deps

all: common netback netfront

help:
	@echo "make             build the daemon (build/bin/xvif-netback), the module (netfront/xvif-netfront.ko) and tools"
	@echo "make deps        install every Debian package needed (root)"
	@echo "make check       every test, the lab included; ends with 'N passed, N failed, N skipped'"
	@echo "make check-fast  every test but the lab"
	@echo "make lab         the lab alone: Xen under QEMU, every scenario x peer pair"
	@echo "make demo        the lab demo: xvif-netback + xvif-netfront, live attach, status, figures"
	@echo "make fuzz        run each libFuzzer target for FUZZ_SECONDS (default 60)"
	@echo "make bench       lab benchmarks; make bench-engine: in-process engine benchmarks"
	@echo "make install     install into DESTDIR/PREFIX; make uninstall undoes it"
	@echo "KDIR=...         build the module against another kernel's headers (default: $(KDIR))"

deps:
	@mk/deps.sh

check-deps:
	@mk/deps.sh --check

include mk/integrated.mk
include common/common.mk
include test/fuzz/fuzz.mk
# Fuzz targets over netback's engine name their extra sources here.
-include test/fuzz/engine.mk

netback: common
	$(MAKE) -C netback

netfront:
	@if [ ! -d "$(KDIR)" ]; then echo "netfront: no kernel headers at $(KDIR): run 'make deps' (or set KDIR=)" >&2; exit 1; fi
	$(MAKE) -C netfront KDIR=$(KDIR)

# Every test but the lab. Each step records its results; the summary decides.
check-fast: deps
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory check-fast-steps || true
	@echo "== summary (check-fast)"
	@mk/summary.sh $(RESULTS)

check: deps
	@rm -rf $(RESULTS); mkdir -p $(RESULTS)
	@$(MAKE) --no-print-directory check-fast-steps || true
	@$(MAKE) --no-print-directory lab-steps || true
	@echo "== summary (check)"
	@mk/summary.sh $(RESULTS)

# Each step is kept going (-k at the call sites' level): a failing build is
# itself recorded as a FAIL so the summary reports it.
CHECK_FAST_STEPS := unit fuzz-smoke netback-check netfront-check scripts-check hostile-check lab-offline-check
.PHONY: check-fast-steps $(CHECK_FAST_STEPS) lab-steps netback-check netfront-check scripts-check hostile-check
check-fast-steps:
	@for s in $(CHECK_FAST_STEPS); do \
		echo "== $$s"; \
		$(MAKE) --no-print-directory $$s || echo "FAIL make-$$s the step's make target failed (see output above)" >> $(RESULTS)/build-steps.txt; \
	done

# $(call gated,NAME,SUITE,COMMAND): run COMMAND if NAME is integrated, else
# record one SKIP line naming why.
gated = @if echo " $(INTEGRATED) " | grep -q " $(1) "; then $(3); \
	else echo "SKIP $(1) $(WHY_$(1))" >> $(RESULTS)/$(2).txt; echo "SKIP $(1): $(WHY_$(1))"; fi

netback-check: common
	$(call gated,netback,netback,$(MAKE) -C netback check)

netfront-check:
	$(call gated,netfront,netfront,$(MAKE) -C netfront check KDIR=$(KDIR))

scripts-check:
	$(call gated,scripts,scripts,$(MAKE) -C xenstore-scripts check)

# What `make check` runs in the lab: the core scenarios and the hotplug
# scripts' for every peer pair (about 15 min here, with one QEMU at a time).
# `make lab` runs every scenario (the hostile-* attacks and the 100-cycle
# netfront reload too), which takes longer.
LAB_CHECK_SCENARIOS := $(shell grep -v '^\#' test/lab/scenarios/order 2>/dev/null | tr '\n' ','),netfront-ethtool,script-bridge,script-route,script-nat,script-openvswitch,script-default,systemd-notify,rate,restart-1,restart-4
hostile-check:
	$(call gated,hostile,hostile,$(MAKE) -C test/hostile check)

# The lab's own code that runs on the host, tested without booting anything
# (the bench report's medians, ratios and left-out values).
lab-offline-check:
	@mkdir -p $(RESULTS); : > $(RESULTS)/lab-offline.txt; python3 test/lab/bench/test_report.py $(RESULTS)/lab-offline.txt

lab-steps:
	$(call gated,lab,lab,$(MAKE) --no-print-directory all || echo "make all failed: the lab reports the missing parts as SKIP"; test/lab/run.sh --scenario $(LAB_CHECK_SCENARIOS))

lab:
	-@$(MAKE) --no-print-directory all || echo "make all failed: the lab reports the missing parts as SKIP"
	-@$(MAKE) --no-print-directory -C test/hostile || echo "the hostile tools did not build: the hostile-* scenarios report SKIP"
	@mkdir -p $(RESULTS); rm -f $(RESULTS)/lab.txt
	test/lab/run.sh
	@mk/summary.sh $(RESULTS) lab

demo: deps
	-@$(MAKE) --no-print-directory all || echo "make all failed: the demo uses the stock peer for what is missing"
	test/lab/demo.sh

bench:
	-@$(MAKE) --no-print-directory all || echo "make all failed: the bench leaves out the pairs whose part is missing"
	test/lab/bench/bench.sh

bench-engine: common
	$(MAKE) -C netback bench-engine

install uninstall:
	$(MAKE) -C netback $@
	$(MAKE) -C xenstore-scripts $@

clean:
	rm -rf $(BUILD)
	-$(MAKE) -C netfront clean KDIR=$(KDIR) 2>/dev/null
