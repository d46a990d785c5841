/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xvif-netback's logging: one line per call on stderr, with a level.
 *
 * Under systemd (stderr connected to the journal: $JOURNAL_STREAM set) each
 * line starts with the sd-daemon "<N>" priority prefix so the journal keeps
 * the level; otherwise with "err: ", "warn: ", ... Lines above the configured
 * level are dropped. Safe to call from any thread: one write(2) per line.
 *
 * Anything a guest can trigger repeatedly is logged through
 * xvif_log_ratelimited() so a hostile frontend cannot flood the journal.
 */
#ifndef XVIF_NB_LOG_H
#define XVIF_NB_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum xvif_log_level {
	XVIF_LOG_ERR = 3,   /* the numbers are syslog's, as sd-daemon's <N> */
	XVIF_LOG_WARN = 4,
	XVIF_LOG_INFO = 6,
	XVIF_LOG_DEBUG = 7,
};

/* Lines with a level above @level are dropped. Default: XVIF_LOG_INFO. */
void xvif_log_set_level(int level);
int xvif_log_get_level(void);
/* Force (1) or forbid (0) "<N>" prefixes; -1 (default): decide from $JOURNAL_STREAM. */
void xvif_log_set_journal(int on);
/* "err", "warn", "info", "debug" -> level; -1 if none of these. */
int xvif_log_level_parse(const char *s);
const char *xvif_log_level_name(int level);

void xvif_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * At most @burst lines per @interval_ms; the lines suppressed meanwhile are
 * counted and reported ("... N similar messages suppressed") with the next
 * line that gets through. Zero-initialise, then set interval_ms and burst
 * (XVIF_RATELIMIT_INIT gives the defaults). Not shared between threads: each
 * worker or vif keeps its own.
 */
struct xvif_ratelimit {
	uint32_t interval_ms;
	uint32_t burst;
	uint64_t window_start_ms;
	uint32_t printed;
	uint32_t missed;
};
/* 10 lines per 5 s: enough to see what a guest does, too few to flood. */
#define XVIF_RATELIMIT_INTERVAL_MS 5000u
#define XVIF_RATELIMIT_BURST 10u
#define XVIF_RATELIMIT_INIT { .interval_ms = XVIF_RATELIMIT_INTERVAL_MS, .burst = XVIF_RATELIMIT_BURST }

/* True if a line may be printed now (and counts it); false if suppressed. */
bool xvif_ratelimit_ok(struct xvif_ratelimit *rl);

void xvif_log_ratelimited(struct xvif_ratelimit *rl, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
