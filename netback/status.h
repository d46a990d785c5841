/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xvif-netback status`: the daemon answers every connection on its unix
 * socket with one JSON document describing every vif, then closes it; the
 * client prints it as text or passes it through (--json). One format, so
 * the text and the JSON never disagree.
 */
#ifndef XVIF_NB_STATUS_H
#define XVIF_NB_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "cp_daemon.h"

#define XVIF_STATUS_SOCKET "/run/xvif-netback.sock"

#ifndef XVIF_VERSION
#define XVIF_VERSION "0.1"
#endif

/* Largest status document the client accepts: ~1 KiB per queue, 1024 vifs
 * of 16 queues is 16 MiB; anything bigger is not from our daemon. */
#define XVIF_STATUS_MAX (16u << 20)

/* The document. Caller puts it. */
struct json_object *xvif_status_json(struct cp_daemon *d);

/* Server: bind and listen on @path (refuses if a daemon answers there).
 * Returns the fd, or -1 with @err. */
int xvif_status_listen(const char *path, char *err, size_t errlen);
/* Server: accept one client, send the document, close. Never blocks the
 * loop for long: a client that does not read is dropped after a timeout. */
void xvif_status_serve(struct cp_daemon *d, int lfd);

/* Client: fetch from @path and print. Returns the process exit code. */
int xvif_status_client(const char *path, bool json, FILE *out);
/* Client: the text form of a document. */
void xvif_status_print_text(struct json_object *doc, FILE *out);

#endif
