/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Small xenstore helpers shared by both hostile tools (libxenstore only).
 * Every read is bounded; every path is absolute.
 */
#ifndef HOSTILE_XSUTIL_H
#define HOSTILE_XSUTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <xenstore.h>

/* Longest absolute path either tool builds: /local/domain/D/device/vif/N/
 * queue-N/key or /local/domain/0/backend/vif/D/N/key with room to spare. */
#define HOSTILE_PATH_MAX 160u

/* Read @dir/@key into @buf (NUL-terminated, truncated to @len - 1).
 * Returns the value's length, or -1 if it does not exist / is unreadable. */
int hx_read(struct xs_handle *xs, const char *dir, const char *key, char *buf, unsigned int len);

/* Read @dir/@key as an unsigned decimal. Returns 0, or -1 if missing or
 * not a number. */
int hx_read_uint(struct xs_handle *xs, const char *dir, const char *key, unsigned long *out);

/* Write (value != NULL) or remove (value == NULL) @dir/@key. Returns 0 or -1. */
int hx_write(struct xs_handle *xs, const char *dir, const char *key, const char *value);
int hx_write_uint(struct xs_handle *xs, const char *dir, const char *key, unsigned long v);

/* Read a `state` key: the xenbus state, or -1 if missing or not a number. */
int hx_read_state(struct xs_handle *xs, const char *dir);

/* Monotonic milliseconds. */
uint64_t hx_now_ms(void);

/* Sleep @ms milliseconds. */
void hx_sleep_ms(unsigned int ms);

/* Name of a xenbus state for reports ("Connected"), "unknown" otherwise. */
const char *hx_state_name(int state);

#endif
