// SPDX-License-Identifier: GPL-2.0-only
/* Levelled, rate-limited logging to stderr. See log.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* Longest line we write; longer messages are truncated, never split. */
#define LOG_LINE_MAX 512

static int log_level = XVIF_LOG_INFO;
static int log_journal = -1;

void xvif_log_set_level(int level)
{
	__atomic_store_n(&log_level, level, __ATOMIC_RELAXED);
}

int xvif_log_get_level(void)
{
	return __atomic_load_n(&log_level, __ATOMIC_RELAXED);
}

void xvif_log_set_journal(int on)
{
	log_journal = on;
}

static const struct {
	const char *name;
	int level;
} level_names[] = {
	{ "err", XVIF_LOG_ERR },
	{ "warn", XVIF_LOG_WARN },
	{ "info", XVIF_LOG_INFO },
	{ "debug", XVIF_LOG_DEBUG },
};

int xvif_log_level_parse(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (strcmp(s, level_names[i].name) == 0)
			return level_names[i].level;
	return -1;
}

const char *xvif_log_level_name(int level)
{
	size_t i;

	for (i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
		if (level_names[i].level == level)
			return level_names[i].name;
	return "log";
}

static bool journal_prefix(void)
{
	if (log_journal < 0)
		log_journal = getenv("JOURNAL_STREAM") != NULL;
	return log_journal;
}

static void vlog(int level, const char *suffix, const char *fmt, va_list ap)
{
	char line[LOG_LINE_MAX];
	int n, m;

	if (level > xvif_log_get_level())
		return;
	if (journal_prefix())
		n = snprintf(line, sizeof(line), "<%d>", level);
	else
		n = snprintf(line, sizeof(line), "%s: ", xvif_log_level_name(level));
	if (n < 0)
		return;
	m = vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: keep room for the newline */
	if (suffix && n < (int)sizeof(line) - 2) {
		m = snprintf(line + n, sizeof(line) - 1 - (size_t)n, "%s", suffix);
		if (m > 0)
			n += m;
		if (n > (int)sizeof(line) - 2)
			n = (int)sizeof(line) - 2;
	}
	line[n++] = '\n';
	/* One write per line so threads' lines do not interleave. */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void xvif_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, NULL, fmt, ap);
	va_end(ap);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

bool xvif_ratelimit_ok(struct xvif_ratelimit *rl)
{
	uint64_t t = now_ms();

	if (rl->interval_ms == 0)
		return true;
	if (rl->window_start_ms == 0 || t - rl->window_start_ms >= rl->interval_ms) {
		rl->window_start_ms = t ? t : 1;
		rl->printed = 0;
	}
	if (rl->printed < rl->burst) {
		rl->printed++;
		return true;
	}
	rl->missed++;
	return false;
}

void xvif_log_ratelimited(struct xvif_ratelimit *rl, int level, const char *fmt, ...)
{
	char suffix[64] = "";
	va_list ap;

	if (level > xvif_log_get_level() || !xvif_ratelimit_ok(rl))
		return;
	if (rl->missed) {
		snprintf(suffix, sizeof(suffix), " (%u similar messages suppressed)", rl->missed);
		rl->missed = 0;
	}
	va_start(ap, fmt);
	vlog(level, suffix, fmt, ap);
	va_end(ap);
}
