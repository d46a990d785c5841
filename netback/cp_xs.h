/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The control plane's whole view of xenstore: a handful of calls over
 * absolute paths. cp_xs.c implements them with libxenstore; the tests link
 * tests/fake_xs.c, an in-memory store with watches, instead.
 *
 * Values are bounded: a read copies at most @len - 1 bytes and reports a
 * longer value as XVIF_XS_TOOLONG, so nothing another domain writes can make
 * the caller hold more than its own buffer.
 */
#ifndef XVIF_NB_CP_XS_H
#define XVIF_NB_CP_XS_H

#include <stdbool.h>
#include <stddef.h>

#include "xs_schema.h"

/* Longest absolute path the control plane builds or accepts:
 * "/local/domain/32767/backend/vif/32767/4294967295/queue-15/tx-ring-ref"
 * fits with room to spare. */
#define CP_XS_PATH_MAX 160u

struct cp_xs;

/* "@dir/@key" into @buf (CP_XS_PATH_MAX). 0, or -1 if it does not fit. */
int cp_xs_join(char *buf, const char *dir, const char *key);

/* Open a connection to xenstored. NULL with errno set on failure. */
struct cp_xs *cp_xs_open(void);
void cp_xs_close(struct cp_xs *xs);
/* The fd to poll for watch events. */
int cp_xs_fileno(struct cp_xs *xs);

/* Read @path into @buf (NUL-terminated). Returns the length, XVIF_XS_MISSING,
 * or XVIF_XS_TOOLONG. A xenstore error other than ENOENT reads as missing. */
int cp_xs_read(struct cp_xs *xs, const char *path, char *buf, unsigned int len);
/* Write @value at @path. 0 or -1 (errno). */
int cp_xs_write(struct cp_xs *xs, const char *path, const char *value);
/* Write @value at @dir/@key only if @dir/@witness still exists, in one
 * transaction, so a directory the toolstack removed is never re-created.
 * 0 written, 1 the directory is gone, -1 error. */
int cp_xs_write_in_dir(struct cp_xs *xs, const char *dir, const char *witness, const char *key,
		       const char *value);
/* Remove @path (and what is below it). Missing is not an error. */
int cp_xs_rm(struct cp_xs *xs, const char *path);
/* Names directly below @path: a malloc'ed array of *@n malloc'ed strings
 * (free with cp_xs_free_list). NULL with *@n = 0 if missing or empty. */
char **cp_xs_directory(struct cp_xs *xs, const char *path, unsigned int *n);
void cp_xs_free_list(char **list, unsigned int n);

int cp_xs_watch(struct cp_xs *xs, const char *path, const char *token);
int cp_xs_unwatch(struct cp_xs *xs, const char *path, const char *token);
/* Take one pending watch event without blocking: 1 (path and token copied,
 * truncated to their buffers), 0 none pending, -1 the connection failed. */
int cp_xs_next_event(struct cp_xs *xs, char *path, size_t plen, char *token, size_t tlen);

/* The path of a domain's home directory ("/local/domain/0"). 0 or -1. */
int cp_xs_domain_path(struct cp_xs *xs, unsigned int domid, char *buf, size_t len);

#endif
