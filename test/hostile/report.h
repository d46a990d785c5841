/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one JSON line each hostile tool prints at the end (json-c): what it
 * did and what the peer answered. Lab scenarios grep it, people read it.
 * Keys every report has: tool, attack, variant, outcome, actions[].
 */
#ifndef HOSTILE_REPORT_H
#define HOSTILE_REPORT_H

#include <json-c/json.h>

struct report {
	json_object *root;
	json_object *actions;   /* array of strings, in order */
};

void report_init(struct report *r, const char *tool, const char *attack, const char *variant);
/* Append one action line (printf-style), also echoed to stderr as it happens. */
void report_action(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void report_int(struct report *r, const char *key, long long v);
void report_str(struct report *r, const char *key, const char *v);
void report_bool(struct report *r, const char *key, int v);
/* Attach @obj under @key (the report takes ownership). */
void report_obj(struct report *r, const char *key, json_object *obj);
/* Print the line to stdout and free everything. */
void report_emit(struct report *r);

#endif
