# Fuzz targets over netback's data-path engine (test/fuzz/fuzz_engine*.c),
# included by the top Makefile. They link the engine, netback's logger and
# the fake hypervisor + test-played frontend from netback/tests/.
# Built by `make fuzz-build` once netback is integrated; directly at any
# time: make build/fuzz/fuzz_engine INTEGRATED=netback

ENGINE_FUZZ_SRCS := netback/dp_vif.c netback/dp_loop.c netback/dp_ring.c netback/dp_tx.c netback/dp_rx.c \
	netback/dp_ctrl.c netback/log.c netback/tests/fake_xen.c netback/tests/fake_front.c
ENGINE_FUZZ_HDRS := $(wildcard netback/dp*.h) netback/counters.h netback/log.h \
	netback/tests/fake_xen.h netback/tests/fake_front.h

FUZZ_EXTRA_SRCS_engine := $(ENGINE_FUZZ_SRCS)
FUZZ_EXTRA_CFLAGS_engine := -Inetback -Inetback/tests -D_GNU_SOURCE -pthread

$(BUILD)/fuzz/fuzz_engine: $(ENGINE_FUZZ_SRCS) $(ENGINE_FUZZ_HDRS)
