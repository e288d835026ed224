/*
 * out_chrome.c - the Chrome Trace Event format, which Perfetto UI
 * (ui.perfetto.dev) and chrome://tracing open: {"traceEvents":[...],
 * "displayTimeUnit":"ms"}.  docs/views.md describes the mapping:
 *
 *   syscall         one complete event ("ph":"X") at the call's start, with
 *                   its duration: -T's, else the time between an
 *                   "<unfinished ...>" line and its resumption, else 0
 *   signal          an instant event ("ph":"i") named after the signal
 *   exit, killed    instant events "exit N", "killed by SIG"
 *   tasks           "pid" is the thread group (CLONE_THREAD seen in the
 *                   trace, else the tid itself), "tid" the task; their
 *                   names come at the end as metadata events ("ph":"M")
 *
 * Times are microseconds ("ts", "dur") on the run's axis (core/evtime.h):
 * -t/-tt since midnight (a day added at each midnight), -ttt since the
 * epoch, -r summed, and without times the event index.  Unfinished
 * markers, messages, summaries and unparsed lines are not written.
 *
 * Options: args=none leaves out the arguments; args_max=N cuts the text
 * of the arguments (default 1024 bytes).
 */
#include <stdlib.h>

#include "evtime.h"
#include "json_emit.h"
#include "strace_text.h"
#include "sysrep.h"
#include "tree.h"

#define DEFAULT_ARGS_MAX 1024
#define EVENT_FIXED 512 /* keys, numbers and names of one event */
#define LABEL_MAX 256	/* process_labels: the command line, cut */

struct sr_writer {
	struct sr_sink *out;	/* borrowed */
	struct sr_tree *tree;	/* owned: thread groups and names */
	struct sr_evclock clock;
	int32_t *task_of;	/* owned: the task of each event of a batch */
	size_t task_cap;
	struct sr_buf text;	/* owned: scratch for printed values */
	size_t args_max;	/* 0: no arguments */
	uint64_t nout;		/* trace events written */
	uint8_t axis;
};

static enum sr_status chrome_open(struct sr_writer **wp, struct sr_sink *out,
				  const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));
	const char *args = sr_opts_get(opts, "args", "text");
	const char *max = sr_opts_get(opts, "args_max", NULL);

	*wp = NULL;
	if (!w || sr_tree_new(&w->tree) < 0) {
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open chrome writer: out of memory");
	}
	w->out = out;
	w->args_max = DEFAULT_ARGS_MAX;
	if (max) {
		char *end;
		unsigned long long v = strtoull(max, &end, 10);

		if (!*max || *end || v > (1u << 30)) {
			sr_tree_free(w->tree);
			free(w);
			return sr_error_set(err, SR_ERR_USAGE,
					    "chrome: args_max wants a byte count, not '%s'", max);
		}
		w->args_max = (size_t)v;
	}
	if (!strcmp(args, "none"))
		w->args_max = 0;
	else if (strcmp(args, "text")) {
		sr_tree_free(w->tree);
		free(w);
		return sr_error_set(err, SR_ERR_USAGE, "chrome: args is 'text' or 'none', not '%s'",
				    args);
	}
	sr_evclock_init(&w->clock);
	sr_sink_write(out, "{\"traceEvents\":[\n", 17);
	*wp = w;
	return SR_OK;
}

/* Nanoseconds as microseconds with three decimals: "12.345". */
static char *put_us(char *d, int64_t ns)
{
	uint64_t v;
	unsigned int frac;

	if (ns < 0) {
		*d++ = '-';
		v = (uint64_t)-(ns + 1) + 1;
	} else {
		v = (uint64_t)ns;
	}
	d = sr_json_u64(d, v / 1000);
	frac = (unsigned int)(v % 1000);
	*d++ = '.';
	*d++ = (char)('0' + frac / 100);
	*d++ = (char)('0' + frac / 10 % 10);
	*d++ = (char)('0' + frac % 10);
	return d;
}

/* The text in w->text, cut at args_max, as a JSON string. */
static char *put_text(struct sr_writer *w, char *d)
{
	size_t n = w->text.len;

	if (n > w->args_max) {
		*d++ = '"';
		d = sr_json_esc(d, w->text.p, w->args_max, NULL);
		d = SR_JSON_LIT(d, "...\"");
		return d;
	}
	return sr_json_str(d, w->text.p ? w->text.p : "", n);
}

static size_t text_max(const struct sr_writer *w)
{
	size_t n = w->text.len < w->args_max ? w->text.len : w->args_max;

	return SR_JSON_STR_MAX(n) + 8;
}

/* "pid":P,"tid":T of event i's task. */
static char *put_ids(struct sr_writer *w, char *d, int32_t task)
{
	const struct sr_tree_task *k = sr_tree_at(w->tree, task);
	int64_t pid = sr_tree_pid(w->tree, task);

	d = SR_JSON_LIT(d, ",\"pid\":");
	d = sr_json_i64(d, pid < 0 ? 0 : pid);
	d = SR_JSON_LIT(d, ",\"tid\":");
	return sr_json_i64(d, !k || k->tid < 0 ? 0 : k->tid);
}

static void put_syscall(struct sr_writer *w, const struct sr_event *ev, int32_t task,
			int64_t start, int64_t dur)
{
	size_t need = EVENT_FIXED + 8 * (size_t)ev->name->len, ret_at, err_at;
	char *d0, *d;

	/* the arguments, then the return value and the errno, in one buffer */
	w->text.len = 0;
	if (w->args_max) {
		for (uint32_t i = 0; i < ev->nargs; i++) {
			if (i)
				sr_buf_add(&w->text, ", ", 2);
			if (ev->args[i].name.len) {
				sr_buf_adds(&w->text, ev->args[i].name);
				sr_buf_addc(&w->text, '=');
			}
			sr_strace_print_value(&w->text, &ev->args[i]);
		}
		need += text_max(w);
	}
	ret_at = w->text.len;
	if (ev->has_ret) {
		if (ev->ret)
			sr_strace_print_value(&w->text, ev->ret);
		else
			sr_buf_addc(&w->text, '?');
	}
	err_at = w->text.len;
	if (ev->err) {
		sr_buf_add(&w->text, ev->err->str, ev->err->len);
		if (ev->errmsg.len) {
			sr_buf_add(&w->text, " (", 2);
			sr_buf_adds(&w->text, ev->errmsg);
			sr_buf_addc(&w->text, ')');
		}
	}
	need += SR_JSON_STR_MAX(w->text.len - ret_at);
	d0 = d = sr_sink_reserve(w->out, need);
	if (w->nout++)
		*d++ = ',';
	d = SR_JSON_LIT(d, "{\"name\":");
	d = sr_json_atom(d, ev->name);
	d = ev->err ? SR_JSON_LIT(d, ",\"cat\":\"syscall,failed\",\"ph\":\"X\",\"ts\":")
		    : SR_JSON_LIT(d, ",\"cat\":\"syscall\",\"ph\":\"X\",\"ts\":");
	d = put_us(d, start);
	d = SR_JSON_LIT(d, ",\"dur\":");
	d = put_us(d, dur > 0 ? dur : 0);
	d = put_ids(w, d, task);
	d = SR_JSON_LIT(d, ",\"args\":{");
	if (w->args_max) {
		size_t all = w->text.len;

		w->text.len = ret_at;
		d = SR_JSON_LIT(d, "\"args\":");
		d = put_text(w, d);
		w->text.len = all;
		*d++ = ',';
	}
	if (ev->has_ret) {
		d = SR_JSON_LIT(d, "\"return\":");
		d = sr_json_str(d, w->text.p + ret_at, err_at - ret_at);
		*d++ = ',';
	}
	if (ev->err) {
		d = SR_JSON_LIT(d, "\"errno\":");
		d = sr_json_str(d, w->text.p + err_at, w->text.len - err_at);
		*d++ = ',';
	}
	if (dur < 0)
		d = SR_JSON_LIT(d, "\"no_duration\":true,");
	d = SR_JSON_LIT(d, "\"line\":");
	d = sr_json_u64(d, ev->line);
	d = SR_JSON_LIT(d, "}}\n");
	sr_sink_commit(w->out, (size_t)(d - d0));
}

/* An instant event on the task's track: a signal, an exit, a kill. */
static void put_instant(struct sr_writer *w, const struct sr_event *ev, int32_t task, int64_t at)
{
	char num[SR_JSON_INT_MAX + 1];
	size_t need;
	char *d0, *d;

	w->text.len = 0;
	switch (ev->kind) {
	case SR_E_SIGNAL:
		if (ev->flags & SR_EF_STOPPED)
			sr_buf_add(&w->text, "stopped by ", 11);
		if (ev->name)
			sr_buf_add(&w->text, ev->name->str, ev->name->len);
		break;
	case SR_E_EXIT:
		sr_buf_add(&w->text, "exit ", 5);
		sr_buf_add(&w->text, num, (size_t)(sr_json_i64(num, ev->code) - num));
		break;
	case SR_E_KILLED:
		sr_buf_add(&w->text, "killed by ", 10);
		if (ev->name)
			sr_buf_add(&w->text, ev->name->str, ev->name->len);
		if (ev->flags & SR_EF_CORE)
			sr_buf_add(&w->text, " (core dumped)", 14);
		break;
	default:
		sr_buf_add(&w->text, "superseded by execve", 20);
		break;
	}
	need = EVENT_FIXED + SR_JSON_STR_MAX(w->text.len);
	if (ev->kind == SR_E_SIGNAL && ev->nargs && w->args_max) {
		size_t at0 = w->text.len;

		sr_strace_print_value(&w->text, &ev->args[0]);
		need += text_max(w) + SR_JSON_STR_MAX(w->text.len - at0);
		d0 = d = sr_sink_reserve(w->out, need);
		if (w->nout++)
			*d++ = ',';
		d = SR_JSON_LIT(d, "{\"name\":");
		d = sr_json_str(d, w->text.p, at0);
		d = SR_JSON_LIT(d, ",\"cat\":\"signal\",\"ph\":\"i\",\"s\":\"t\",\"ts\":");
		d = put_us(d, at);
		d = put_ids(w, d, task);
		d = SR_JSON_LIT(d, ",\"args\":{\"info\":");
		memmove(w->text.p, w->text.p + at0, w->text.len - at0);
		w->text.len -= at0;
		d = put_text(w, d);
	} else {
		d0 = d = sr_sink_reserve(w->out, need);
		if (w->nout++)
			*d++ = ',';
		d = SR_JSON_LIT(d, "{\"name\":");
		d = sr_json_str(d, w->text.p, w->text.len);
		d = ev->kind == SR_E_SIGNAL
			    ? SR_JSON_LIT(d, ",\"cat\":\"signal\",\"ph\":\"i\",\"s\":\"t\",\"ts\":")
			    : SR_JSON_LIT(d, ",\"cat\":\"process\",\"ph\":\"i\",\"s\":\"t\",\"ts\":");
		d = put_us(d, at);
		d = put_ids(w, d, task);
		d = SR_JSON_LIT(d, ",\"args\":{");
		if (ev->kind == SR_E_EXIT) {
			d = SR_JSON_LIT(d, "\"status\":");
			d = sr_json_i64(d, ev->code);
		}
		if (ev->kind == SR_E_SUPERSEDED) {
			d = SR_JSON_LIT(d, "\"old_pid\":");
			d = sr_json_i64(d, ev->code);
		}
	}
	if (d[-1] != '{')
		*d++ = ',';
	d = SR_JSON_LIT(d, "\"line\":");
	d = sr_json_u64(d, ev->line);
	d = SR_JSON_LIT(d, "}}\n");
	sr_sink_commit(w->out, (size_t)(d - d0));
}

static enum sr_status chrome_write(struct sr_writer *w, const struct sr_batch *b,
				   struct sr_error *err)
{
	enum sr_status st;

	if (b->n > w->task_cap) {
		int32_t *p = realloc(w->task_of, b->n * sizeof(*p));

		if (!p)
			return sr_error_set(err, SR_ERR_NOMEM, "chrome: out of memory");
		w->task_of = p;
		w->task_cap = b->n;
	}
	/* the whole batch first: a thread's group is often known only once
	 * its clone returns, a few lines after its first ones */
	st = sr_tree_add(w->tree, b, w->task_of);
	if (st < 0)
		return sr_error_set(err, st, "chrome: out of memory");
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		int64_t start, dur;
		enum sr_axis axis = sr_evclock_place(&w->clock, ev, &start, &dur);

		if (axis != SR_AXIS_SEQ)
			w->axis = (uint8_t)axis;
		if (w->task_of[i] < 0)
			continue;
		switch (ev->kind) {
		case SR_E_SYSCALL:
			if (ev->name)
				put_syscall(w, ev, w->task_of[i], start, dur);
			break;
		case SR_E_SIGNAL:
		case SR_E_EXIT:
		case SR_E_KILLED:
		case SR_E_SUPERSEDED:
			put_instant(w, ev, w->task_of[i], start);
			break;
		default:
			break;
		}
	}
	return SR_OK;
}

/* {"ph":"M","name":KIND,"pid":P,"tid":T,"args":{KEY:VALUE}} with a string
 * value, or a number when s is NULL. */
static void put_meta(struct sr_writer *w, const char *kind, int64_t pid, int64_t tid,
		     const char *key, const char *s, size_t n, int64_t num)
{
	char *d0 = sr_sink_reserve(w->out, EVENT_FIXED + SR_JSON_STR_MAX(n)), *d = d0;

	if (w->nout++)
		*d++ = ',';
	d = SR_JSON_LIT(d, "{\"ph\":\"M\",\"name\":\"");
	memcpy(d, kind, strlen(kind));
	d += strlen(kind);
	d = SR_JSON_LIT(d, "\",\"pid\":");
	d = sr_json_i64(d, pid < 0 ? 0 : pid);
	d = SR_JSON_LIT(d, ",\"tid\":");
	d = sr_json_i64(d, tid < 0 ? 0 : tid);
	d = SR_JSON_LIT(d, ",\"args\":{\"");
	memcpy(d, key, strlen(key));
	d += strlen(key);
	d = SR_JSON_LIT(d, "\":");
	d = s ? sr_json_str(d, s, n) : sr_json_i64(d, num);
	d = SR_JSON_LIT(d, "}}\n");
	sr_sink_commit(w->out, (size_t)(d - d0));
}

static enum sr_status chrome_finish(struct sr_writer *w, struct sr_error *err)
{
	size_t n = sr_tree_count(w->tree);
	int64_t order = 0;
	char *d0, *d;

	if (sr_tree_finish(w->tree) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "chrome: out of memory");
	for (int32_t i = 0; (size_t)i < n; i++) {
		const struct sr_tree_task *k = sr_tree_at(w->tree, i);
		int64_t pid = sr_tree_pid(w->tree, i);
		const char *name;
		size_t len;

		name = sr_tree_name(w->tree, i, &len);
		if (k->leader == i) {
			const struct sr_tree_exec *x = sr_tree_last_exec(w->tree, i);

			if (name)
				put_meta(w, "process_name", pid, pid, "name", name, len, 0);
			put_meta(w, "process_sort_index", pid, pid, "sort_index", NULL, 0, order++);
			if (x) {
				w->text.len = 0;
				sr_tree_command(&w->text, x);
				put_meta(w, "process_labels", pid, pid, "labels", w->text.p,
					 w->text.len < LABEL_MAX ? w->text.len : LABEL_MAX, 0);
			}
		}
		if (k->comm) {
			name = k->comm;
			len = strlen(name);
		}
		if (name)
			put_meta(w, "thread_name", pid, k->tid, "name", name, len, 0);
	}
	d0 = d = sr_sink_reserve(w->out, 128);
	d = SR_JSON_LIT(d, "],\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"sysrep "
			   SR_VERSION "\",\"clock\":\"");
	memcpy(d, sr_axis_name(w->axis), strlen(sr_axis_name(w->axis)));
	d += strlen(sr_axis_name(w->axis));
	d = SR_JSON_LIT(d, "\"}}\n");
	sr_sink_commit(w->out, (size_t)(d - d0));
	return SR_OK;
}

static void chrome_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_tree_free(w->tree);
	free(w->task_of);
	sr_buf_free(&w->text);
	free(w);
}

static const struct sr_optdesc sr_out_chrome_keys[] = {
	{ "args", "the arguments of each call: text (default) or none" },
	{ "args_max", "at most this many bytes of arguments per call" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_chrome = {
	.name = "chrome",
	.ext = ".chrome.json",
	.summary = "Chrome Trace Event JSON for Perfetto UI / chrome://tracing "
		   "(-O args=none, -O args_max=N)",
	.open = chrome_open,
	.write = chrome_write,
	.finish = chrome_finish,
	.close = chrome_close,
	.opt_keys = sr_out_chrome_keys,
};
