/*
 * error.c - filling and printing struct sr_error.
 *
 * The message scheme.  A message is written as "<what>: <detail>", e.g.
 * "cannot open input: No such file or directory" or "cannot parse: expected ')'".
 * The location (file, line, col) is kept apart so that the layer that
 * knows it can add it later.  sr_error_format splits the message at the
 * first ": " and puts the location pairs that are set between the parts:
 *
 *   "cannot parse: expected ')'" + file x.strace, line 42, col 7
 *     -> "cannot parse: file=x.strace line=42 col=7: expected ')'"
 *   "cannot open input: No such file or directory" + file x
 *     -> "cannot open input: file=x: No such file or directory"
 *   "unexpected end of input" + file x        (no ": " in the message)
 *     -> "unexpected end of input: file=x"
 *
 * So a message should not put a ": " inside its <what> part.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sysrep.h"

enum sr_status sr_error_set(struct sr_error *err, enum sr_status code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	/*
	 * A new error replaces the old one entirely: callers often keep an
	 * uninitialised struct sr_error on the stack, and a location left
	 * over from elsewhere would be worse than none.  The caller adds
	 * file, line and col after this call.
	 */
	err->code = code;
	err->file[0] = '\0';
	err->line = 0;
	err->col = 0;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

void sr_error_file(struct sr_error *err, const char *file)
{
	if (!err)
		return;
	snprintf(err->file, sizeof(err->file), "%s", file ? file : "");
}

const char *sr_error_format(const struct sr_error *err, char *buf, size_t n)
{
	char loc[sizeof(err->file) + 64];
	size_t k = 0;
	const char *msg, *sep;
	int head;

	if (n == 0)
		return buf;
	if (!err) {
		snprintf(buf, n, "%s", sr_status_str(SR_OK));
		return buf;
	}

	/* loc holds all three pairs at their longest, so nothing is cut here */
	loc[0] = '\0';
	if (err->file[0])
		k += snprintf(loc + k, sizeof(loc) - k, "file=%.*s", (int)sizeof(err->file),
			      err->file);
	if (err->line)
		k += snprintf(loc + k, sizeof(loc) - k, "%sline=%llu", k ? " " : "",
			      (unsigned long long)err->line);
	if (err->col)
		snprintf(loc + k, sizeof(loc) - k, "%scol=%u", k ? " " : "", (unsigned)err->col);

	/* An error without a message still says what kind it was. */
	msg = err->msg[0] ? err->msg : sr_status_str(err->code);
	if (!loc[0]) {
		snprintf(buf, n, "%s", msg);
		return buf;
	}
	sep = strstr(msg, ": ");
	if (!sep) {
		snprintf(buf, n, "%s: %s", msg, loc);
		return buf;
	}
	head = (int)(sep - msg);
	snprintf(buf, n, "%.*s: %s: %s", head, msg, loc, sep + 2);
	return buf;
}

const char *sr_status_str(enum sr_status s)
{
	switch (s) {
	case SR_OK:
		return "success";
	case SR_END:
		return "end of input";
	case SR_ERR_NOMEM:
		return "out of memory";
	case SR_ERR_IO:
		return "input/output error";
	case SR_ERR_PARSE:
		return "malformed input";
	case SR_ERR_USAGE:
		return "bad usage";
	case SR_ERR_FORMAT:
		return "unknown or wrong format";
	case SR_ERR_UNSUPPORTED:
		return "not supported";
	}
	return "unknown status";
}
