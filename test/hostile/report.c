// SPDX-License-Identifier: GPL-2.0-only
/* The tools' JSON report: see report.h. */
#include <stdarg.h>
#include <stdio.h>

#include "report.h"

void report_init(struct report *r, const char *tool, const char *attack, const char *variant)
{
	r->root = json_object_new_object();
	r->actions = json_object_new_array();
	json_object_object_add(r->root, "tool", json_object_new_string(tool));
	json_object_object_add(r->root, "attack", json_object_new_string(attack));
	json_object_object_add(r->root, "variant", json_object_new_string(variant));
	json_object_object_add(r->root, "actions", r->actions);
}

void report_action(struct report *r, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(stderr, "hostile: %s\n", buf);
	json_object_array_add(r->actions, json_object_new_string(buf));
}

void report_int(struct report *r, const char *key, long long v)
{
	json_object_object_add(r->root, key, json_object_new_int64(v));
}

void report_str(struct report *r, const char *key, const char *v)
{
	json_object_object_add(r->root, key, v ? json_object_new_string(v) : NULL);
}

void report_bool(struct report *r, const char *key, int v)
{
	json_object_object_add(r->root, key, json_object_new_boolean(v != 0));
}

void report_obj(struct report *r, const char *key, json_object *obj)
{
	json_object_object_add(r->root, key, obj);
}

void report_emit(struct report *r)
{
	printf("%s\n", json_object_to_json_string_ext(r->root, JSON_C_TO_STRING_PLAIN));
	fflush(stdout);
	json_object_put(r->root);
	r->root = r->actions = NULL;
}
