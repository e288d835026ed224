/*
 * json_in_check.c - the types of a sysrep record's top-level keys.
 *
 * The decoders read a key with a default (sr_jin_jint(x, 0)), so without
 * this check "return":"x" became 0 and "time":1e308 midnight: a silent
 * guess (issue 20).  A key of the wrong type is now an error naming the key
 * and what it expects; in_json.c adds the file, line and column of its
 * value.  Keys not listed are left to the decoders (fmt's hints, info, the
 * attachments), which refuse shapes they cannot use.
 */
#include "json_in.h"

enum {
	J_INT = 1,   /* an integer (or one too big for jansson, rescued) */
	J_NUM = 2,   /* any number */
	J_STR = 4,
	J_BOOL = 8,
	J_NULL = 16,
	J_OBJ = 32,
	J_ARR = 64,
	J_TIME = 128, /* a number a time can hold (no int64 overflow) */
	J_DUR = 256,  /* ... and not negative */
	J_KIND = 512, /* a string naming an event kind */
};

static const struct key_type {
	const char *key;
	unsigned types;
	const char *want;
} key_types[] = {
	{ "type", J_STR | J_KIND,
	  "one of \"syscall\", \"unfinished\", \"signal\", \"exit\", \"killed\", "
	  "\"superseded\", \"message\", \"summary\", \"unparsed\"" },
	{ "line", J_INT, "an integer (the input line)" },
	{ "pid", J_INT, "an integer" },
	{ "nr", J_INT, "an integer (the syscall number)" },
	{ "time", J_TIME, "a number of seconds" },
	{ "resumed_time", J_TIME, "a number of seconds" },
	{ "rel", J_TIME, "a number of seconds" },
	{ "duration", J_DUR, "a number of seconds, not negative" },
	{ "syscall", J_STR, "a string (the syscall's name)" },
	{ "signal", J_STR, "a string (the signal's name)" },
	{ "errno", J_STR, "a string (the errno's name)" },
	{ "errmsg", J_STR, "a string" },
	{ "comm", J_STR, "a string" },
	{ "secontext", J_STR, "a string" },
	{ "ip", J_STR | J_NULL, "a hex string or null" },
	{ "args", J_OBJ | J_ARR, "an object of named arguments (or an array)" },
	{ "return", J_INT | J_NULL | J_OBJ, "an integer, null or a typed value object" },
	{ "return_text", J_STR, "a string" },
	{ "return_fd", J_STR, "a string" },
	{ "return_comment", J_STR, "a string" },
	{ "text", J_STR, "a string" },
	{ "verbatim", J_STR, "a string" },
	{ "unavailable", J_STR, "a string" },
	{ "row", J_STR, "a string" },
	{ "notes", J_ARR, "an array of strings" },
	{ "stack", J_ARR, "an array" },
	{ "dump", J_ARR, "an array" },
	{ "attached", J_ARR, "an array" },
	{ "inserted", J_ARR, "an array" },
	{ "truncated", J_ARR, "an array" },
	{ "fmt", J_OBJ, "an object" },
	{ "exit_status", J_INT, "an integer" },
	{ "pid_changed_to", J_INT, "an integer" },
	{ "status", J_INT, "an integer" },
	{ "old_pid", J_INT, "an integer" },
	{ "percent", J_NUM, "a number" },
	{ "seconds", J_NUM, "a number" },
	{ "shortest", J_NUM, "a number" },
	{ "longest", J_NUM, "a number" },
	{ "usecs_per_call", J_INT, "an integer" },
	{ "calls", J_INT, "an integer" },
	{ "errors", J_INT, "an integer" },
	{ "resumed", J_BOOL, "true or false" },
	{ "detached", J_BOOL, "true or false" },
	{ "mask_after", J_BOOL, "true or false" },
	{ "orphan", J_BOOL, "true or false" },
	{ "core_dumped", J_BOOL, "true or false" },
	{ "stopped", J_BOOL, "true or false" },
	{ "return_fd_deleted", J_BOOL, "true or false" },
};

static const char *jtype_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
		return "an integer";
	case JSON_REAL:
		return "a number with a fraction";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

static bool kind_name(const char *s)
{
	static const char *const names[] = { "syscall", "unfinished", "signal",	 "exit",
					     "killed",	"superseded", "message", "summary",
					     "unparsed" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i]))
			return true;
	return false;
}

static bool type_ok(struct sr_reader *r, const json_t *v, unsigned t)
{
	uint64_t u;

	if (t & J_KIND)
		return json_is_string(v) && kind_name(json_string_value(v));
	if (t & (J_TIME | J_DUR)) {
		double d;

		if (sr_jin_big_int(r, v, &u))
			return false; /* beyond int64's seconds */
		if (!json_is_number(v))
			return false;
		d = json_number_value(v);
		/* read_time keeps seconds in an int64_t */
		if (!(d > -9.2e18 && d < 9.2e18))
			return false;
		return !(t & J_DUR) || d >= 0;
	}
	if ((t & J_INT) && (json_is_integer(v) || sr_jin_big_int(r, v, &u)))
		return true;
	if ((t & J_NUM) && json_is_number(v))
		return true;
	if ((t & J_STR) && json_is_string(v) && !sr_jin_big_int(r, v, &u))
		return true;
	if ((t & J_BOOL) && json_is_boolean(v))
		return true;
	if ((t & J_NULL) && json_is_null(v))
		return true;
	if ((t & J_OBJ) && json_is_object(v))
		return true;
	return (t & J_ARR) && json_is_array(v);
}

bool sr_jin_check_types(struct dctx *c, const json_t *o)
{
	for (size_t i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++) {
		const struct key_type *k = &key_types[i];
		const json_t *v = json_object_get(o, k->key);
		const char *got;

		if (!v || type_ok(c->r, v, k->types))
			continue;
		got = jtype_name(v);
		if (json_is_number(v) && (k->types & (J_TIME | J_DUR)))
			got = json_number_value(v) < 0 && (k->types & J_DUR) ? "a negative number"
									      : "a number out of range";
		else if (json_is_string(v) && (k->types & J_KIND))
			got = "another string";
		else if (json_is_string(v) && sr_jin_big_int(c->r, v, &(uint64_t){ 0 }))
			got = "an integer too big";
		snprintf(c->why_buf, sizeof(c->why_buf), "\"%s\": expected %s, got %s", k->key,
			 k->want, got);
		c->why = c->why_buf;
		c->bad_key = k->key;
		return false;
	}
	return true;
}
