/*
 * out_csv.c - CSV for pandas and spreadsheets: a header row, then one row
 * per event (RFC 4180: fields with a comma, a quote or a line break are
 * quoted, quotes doubled; rows end with "\n").  The quoting is written
 * here rather than by libcsv's csv_write: that one goes byte by byte with
 * a bounds check each, and the args cell, quoted on nearly every row, made
 * it a sixth of the writer's time; here the quotes are found with memchr.
 *
 * Columns are chosen and ordered by the format option "columns"
 * (-O columns=time,pid,syscall or --columns); the default set is
 * DEFAULT_COLUMNS.  A value that does not apply is an empty cell, never a
 * placeholder, so that pandas.read_csv keeps numeric columns numeric:
 * "return", "nr" and "duration" are numbers or empty; "pid" is int64 when
 * every event names a process, else float64 with NaN for the others (or
 * pass dtype={"pid": "Int64"}; sysrep.read_csv() in the Python module
 * passes the dtypes of every column).  arg0..arg5 give a string argument as
 * its text (no C quotes).  "args" is the JSON record's "args" object,
 * compact (core/semantic_event.c), and a column named as an argument
 * (pathname, flags) that object's member; "truncated" lists the strings
 * strace cut, as the record's "truncated" key does.  -O record=spelling
 * gives "args" the positional spelled trees of earlier versions.
 */
#include <string.h>

#include "json_emit.h"
#include "strace_text.h"

#define DEFAULT_COLUMNS                                                                    \
	"time,pid,type,syscall,nr,return,errno,duration,arg0,arg1,arg2,arg3,arg4,arg5,args," \
	"truncated"
#define MAX_COLUMNS 32

enum col {
	C_LINE, C_TIME, C_PID, C_TYPE, C_SYSCALL, C_SIGNAL, C_NR, C_RETURN, C_ERRNO, C_ERRMSG,
	C_DURATION, C_ARG0, C_ARG1, C_ARG2, C_ARG3, C_ARG4, C_ARG5, C_ARGS, C_TRUNCATED, C_TEXT,
	C__COUNT
};

static const char *const col_names[C__COUNT] = {
	[C_LINE] = "line",	   [C_TIME] = "time",	  [C_PID] = "pid",     [C_TYPE] = "type",
	[C_SYSCALL] = "syscall", [C_SIGNAL] = "signal", [C_NR] = "nr",	       [C_RETURN] = "return",
	[C_ERRNO] = "errno",	   [C_ERRMSG] = "errmsg", [C_DURATION] = "duration",
	[C_ARG0] = "arg0",	   [C_ARG1] = "arg1",	  [C_ARG2] = "arg2",   [C_ARG3] = "arg3",
	[C_ARG4] = "arg4",	   [C_ARG5] = "arg5",	  [C_ARGS] = "args",   [C_TEXT] = "text",
	[C_TRUNCATED] = "truncated",
};

struct sr_writer {
	struct sr_sink *out;	/* borrowed */
	uint8_t col[MAX_COLUMNS]; /* enum col, or C__COUNT + i: argument column i */
	size_t ncol;
	/* argument columns: an argument's name in the signatures (pathname,
	 * flags...), its semantic value as the JSON record has it */
	struct sr_str arg_col[MAX_COLUMNS]; /* views into the options' string */
	size_t narg;
	bool spelling;		/* -O record=spelling: "args" as positional spelled trees */
	bool need_sem;		/* some column reads the semantic args */
	struct sr_semantic *sem;	/* owned, when need_sem */
	struct sr_arena *arena;		/* owned: one row's semantic values */
	const struct sr_sval *args;	/* the row's "args" object; NULL: not built yet */
	bool args_failed;		/* out of memory building it */
	enum sr_arch arch;
	struct sr_buf row;	/* owned: the row being built */
	struct sr_buf cell;	/* owned: the cell being built */
	struct sr_buf ptr;	/* owned: scratch for the JSON Pointers of "truncated" */
};

/* Parses "a,b,c" into w->col; a usage error names an unknown column. */
static enum sr_status parse_columns(struct sr_writer *w, const char *spec, struct sr_error *err)
{
	const char *p = spec;

	w->ncol = 0;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		int k;

		for (k = 0; k < C__COUNT; k++)
			if (strlen(col_names[k]) == n && !memcmp(col_names[k], p, n))
				break;
		if (k == C__COUNT && n && sr_signature_names_arg(w->arch, p, n)) {
			if (w->ncol == MAX_COLUMNS)
				return sr_error_set(err, SR_ERR_USAGE,
						    "cannot write csv: too many columns (at most %d)",
						    MAX_COLUMNS);
			w->arg_col[w->narg] = (struct sr_str){ p, n };
			w->col[w->ncol++] = (uint8_t)(C__COUNT + w->narg++);
			if (!e)
				break;
			p = e + 1;
			continue;
		}
		if (k == C__COUNT) {
			char all[256] = "";

			for (int j = 0; j < C__COUNT; j++) {
				strcat(all, j ? "," : "");
				strcat(all, col_names[j]);
			}
			return sr_error_set(err, SR_ERR_USAGE,
					    "cannot write csv: unknown column '%.*s' (known: %s, or an "
					    "argument's name as in the JSON record's args: pathname, "
					    "flags...)",
					    (int)n, p, all);
		}
		if (w->ncol == MAX_COLUMNS)
			return sr_error_set(err, SR_ERR_USAGE, "cannot write csv: too many columns (at most %d)",
					    MAX_COLUMNS);
		w->col[w->ncol++] = (uint8_t)k;
		if (!e)
			break;
		p = e + 1;
	}
	if (!w->ncol)
		return sr_error_set(err, SR_ERR_USAGE, "cannot write csv: no columns given");
	return SR_OK;
}

/* Bytes that make a cell quoted. */
static const bool must_quote[256] = { [','] = true, ['"'] = true, ['\n'] = true, ['\r'] = true };

/* Appends the cell to the row, quoted only when it must be. */
static void put_cell(struct sr_writer *w, const char *s, size_t n)
{
	const char *e = s + n, *q;
	size_t i;
	char *d;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		if (must_quote[(unsigned char)s[i]])
			break;
	if (i == n) {
		sr_buf_add(&w->row, s, n);
		return;
	}
	/* worst case: every byte a quote, doubled, and the two around */
	if (w->row.cap - w->row.len < 2 * n + 2 && !sr_buf_grow(&w->row, 2 * n + 2))
		return;
	d = w->row.p + w->row.len;
	*d++ = '"';
	while ((q = memchr(s, '"', (size_t)(e - s))) != NULL) {
		memcpy(d, s, (size_t)(q + 1 - s));
		d += q + 1 - s;
		*d++ = '"';
		s = q + 1;
	}
	memcpy(d, s, (size_t)(e - s));
	d += e - s;
	*d++ = '"';
	w->row.len = (size_t)(d - w->row.p);
}

static void cell_time(struct sr_buf *c, const struct sr_time *t)
{
	char tmp[SR_JSON_TIME_MAX];
	char *e = sr_json_time(tmp, t);

	sr_buf_add(c, tmp, (size_t)(e - tmp));
}

static void cell_i64(struct sr_buf *c, int64_t v)
{
	char tmp[SR_JSON_INT_MAX + 1];
	char *e = sr_json_i64(tmp, v);

	sr_buf_add(c, tmp, (size_t)(e - tmp));
}

/* The integer of a return value, through an fd annotation or a comment. */
static const struct sr_value *ret_int(const struct sr_value *r)
{
	for (int depth = 0; r && depth < 4; depth++) {
		if (r->kind == SR_V_INT)
			return r;
		if ((r->kind != SR_V_FD && r->kind != SR_V_COMMENT) || !r->nkids)
			return NULL;
		r = &r->kids[0];
	}
	return NULL;
}

/* The row's "args" object, built once for the columns that read it. */
static const struct sr_sval *row_args(struct sr_writer *w, const struct sr_event *ev)
{
	if (!w->args && !w->args_failed) {
		struct sr_sem_event se;

		/* the record's "return" and "info" are built too, and unused:
		 * one computation for every writer (core/semantic_event.c) */
		w->args = sr_semantic_event(w->sem, ev, w->arena, &se) == SR_OK ? se.args : NULL;
		w->args_failed = !w->args;
	}
	return w->args;
}

/* Appends the compact JSON of s to the cell. */
static void cell_sval(struct sr_buf *c, const struct sr_sval *s)
{
	size_t need = sr_json_sval_max(s);

	if (c->cap - c->len < need && !sr_buf_grow(c, need))
		return;
	c->len = (size_t)(sr_json_sval(c->p + c->len, s) - c->p);
}

/*
 * Argument column name of a call: the member of that name of the JSON
 * record's args; a string as itself, a number in decimal, anything else as
 * compact JSON.  Empty when the call has no such argument.
 */
static void cell_arg(struct sr_writer *w, const struct sr_event *ev, struct sr_str name)
{
	const struct sr_sval *o = row_args(w, ev);

	for (uint32_t i = 0; o && i < o->n; i++) {
		const struct sr_sval *m = &o->kids[i];

		if (m->key.len != name.len || memcmp(m->key.ptr, name.ptr, name.len))
			continue;
		if (m->kind == SR_S_STR)
			sr_buf_add(&w->cell, m->str.ptr, m->str.len);
		else
			cell_sval(&w->cell, m);
		return;
	}
}

/* True when a string under v[0..n) was cut by strace ("..." after it). */
static bool any_cut(const struct sr_value *v, uint32_t n, int depth)
{
	for (uint32_t i = 0; i < n; i++) {
		if (v[i].kind == SR_V_STR && (v[i].flags & SR_VF_TRUNC))
			return true;
		if (v[i].nkids && depth < SR_JSON_MAX_DEPTH && any_cut(v[i].kids, v[i].nkids, depth + 1))
			return true;
	}
	return false;
}

/* The JSON Pointers of the strings strace cut, as the record's
 * "truncated" key has those under "args": ["/args/buf"]; empty when none. */
static void cell_truncated(struct sr_writer *w, const struct sr_event *ev)
{
	const struct sr_sval *o;
	struct sr_buf *c = &w->cell;
	bool first = true;
	size_t need;
	char *d;

	/* the common row has no cut string: seen on the parsed values, so
	 * that -O record=spelling builds no semantic value for it */
	if (!any_cut(ev->args, ev->nargs, 0) || !(o = row_args(w, ev)))
		return;
	need = sr_json_sval_max(o) + 16;
	if ((w->ptr.cap < need && !sr_buf_grow(&w->ptr, need)) ||
	    (c->cap - c->len < need + 2 && !sr_buf_grow(c, need + 2)))
		return;
	d = c->p + c->len;
	*d++ = '[';
	d = sr_json_sval_truncs(d, o, "/args", w->ptr.p, &first);
	if (first)
		return; /* none under the arrays and objects either */
	*d++ = ']';
	c->len = (size_t)(d - c->p);
}

static void cell(struct sr_writer *w, const struct sr_event *ev, unsigned int k)
{
	struct sr_buf *c = &w->cell;
	unsigned int kind = ev->kind;
	bool call = kind == SR_E_SYSCALL || kind == SR_E_UNFINISHED;

	if (k >= C__COUNT) {
		if (call)
			cell_arg(w, ev, w->arg_col[k - C__COUNT]);
		return;
	}
	switch (k) {
	case C_LINE:
		cell_i64(c, (int64_t)ev->line);
		break;
	case C_TIME:
		/* a resumed call: when it started */
		if (kind == SR_E_SYSCALL && (ev->flags & SR_EF_RESUMED) && ev->start.clock)
			cell_time(c, &ev->start);
		else if (ev->lead.time.clock)
			cell_time(c, &ev->lead.time);
		break;
	case C_PID:
		if (ev->lead.pid >= 0)
			cell_i64(c, ev->lead.pid);
		break;
	case C_TYPE:
		if (kind > 0 && kind < SR_E__COUNT)
			sr_buf_add(c, sr_ekind_name(kind), strlen(sr_ekind_name(kind)));
		break;
	case C_SYSCALL:
		if (ev->name && (call || kind == SR_E_SUMMARY))
			sr_buf_add(c, ev->name->str, ev->name->len);
		break;
	case C_SIGNAL:
		if (ev->name && (kind == SR_E_SIGNAL || kind == SR_E_KILLED))
			sr_buf_add(c, ev->name->str, ev->name->len);
		break;
	case C_NR:
		if (ev->nr >= 0)
			cell_i64(c, ev->nr);
		break;
	case C_RETURN: {
		const struct sr_value *iv;

		if (kind != SR_E_SYSCALL || !ev->has_ret)
			break;
		iv = ret_int(ev->ret);
		/* hex and octal as their value; above INT64_MAX as the
		 * signed value, so that the column stays int64 */
		if (iv)
			cell_i64(c, iv->num.i);
		break;
	}
	case C_ERRNO:
		if (ev->err)
			sr_buf_add(c, ev->err->str, ev->err->len);
		break;
	case C_ERRMSG:
		sr_buf_adds(c, ev->errmsg);
		break;
	case C_DURATION:
		if (ev->duration.clock)
			cell_time(c, &ev->duration);
		break;
	case C_ARG0:
	case C_ARG1:
	case C_ARG2:
	case C_ARG3:
	case C_ARG4:
	case C_ARG5:
		if (call && k - C_ARG0 < ev->nargs) {
			const struct sr_value *v = &ev->args[k - C_ARG0];

			/* a string is its text, without strace's C quotes and
			 * escapes (its bytes, when they are UTF-8: pandas reads
			 * the file as UTF-8; others keep strace's escaped form) */
			if (v->kind == SR_V_STR && !v->name.len &&
			    sr_json_utf8_valid(v->text.ptr, v->text.len))
				sr_buf_add(c, v->text.ptr, v->text.len);
			else
				sr_strace_print_value(c, v);
		}
		break;
	case C_ARGS: {
		size_t need = 2;
		uint32_t i;
		char *d;

		if (!call)
			break;
		if (!w->spelling) {
			const struct sr_sval *o = row_args(w, ev);

			if (o)
				cell_sval(c, o);
			break;
		}
		for (i = 0; i < ev->nargs; i++)
			need += sr_json_value_max(&ev->args[i]) + 1;
		if (c->cap - c->len < need && !sr_buf_grow(c, need))
			break;
		d = c->p + c->len;
		*d++ = '[';
		for (i = 0; i < ev->nargs; i++) {
			if (i)
				*d++ = ',';
			d = sr_json_value(d, &ev->args[i]);
		}
		*d++ = ']';
		c->len = (size_t)(d - c->p);
		break;
	}
	case C_TRUNCATED:
		if (call)
			cell_truncated(w, ev);
		break;
	case C_TEXT:
		if (kind == SR_E_MESSAGE || kind == SR_E_UNPARSED || (ev->flags & SR_EF_VERBATIM))
			sr_buf_adds(c, ev->text);
		break;
	default:
		break;
	}
}

static void csv_close(struct sr_writer *w);

static enum sr_status csv_open(struct sr_writer **wp, struct sr_sink *out,
			       const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));
	const char *record;
	enum sr_status st;
	size_t i;

	*wp = NULL;
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start csv output: out of memory");
	w->out = out;
	w->arch = sr_opts_get(opts, "arch", NULL) ? sr_arch_parse(sr_opts_get(opts, "arch", NULL))
						   : SR_ARCH_DEFAULT;
	record = sr_opts_get(opts, "record", "semantic");
	w->spelling = !strcmp(record, "spelling");
	if (!w->spelling && strcmp(record, "semantic"))
		st = sr_error_set(err, SR_ERR_USAGE,
				  "cannot write csv: unknown record form: record=%s (semantic or "
				  "spelling)",
				  record);
	else
		st = parse_columns(w, sr_opts_get(opts, "columns", DEFAULT_COLUMNS), err);
	for (i = 0; st >= 0 && i < w->ncol; i++)
		w->need_sem |= w->col[i] >= C__COUNT || w->col[i] == C_TRUNCATED ||
			       (w->col[i] == C_ARGS && !w->spelling);
	if (st >= 0 && w->need_sem) {
		w->sem = sr_semantic_new(w->arch);
		w->arena = sr_arena_new(0);
		if (!w->sem || !w->arena)
			st = sr_error_set(err, SR_ERR_NOMEM, "cannot start csv output: out of memory");
	}
	if (st < 0) {
		csv_close(w);
		return st;
	}
	for (i = 0; i < w->ncol; i++) {
		struct sr_str h = w->col[i] >= C__COUNT
					  ? w->arg_col[w->col[i] - C__COUNT]
					  : (struct sr_str){ col_names[w->col[i]], strlen(col_names[w->col[i]]) };

		if (i)
			sr_sink_write(out, ",", 1);
		sr_sink_write(out, h.ptr, h.len);
	}
	sr_sink_write(out, "\n", 1);
	*wp = w;
	return SR_OK;
}

static enum sr_status csv_write_batch(struct sr_writer *w, const struct sr_batch *b,
				      struct sr_error *err)
{
	size_t i, j;

	for (i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];

		w->row.len = 0;
		w->args = NULL;
		w->args_failed = false;
		if (w->arena)
			sr_arena_reset(w->arena);
		for (j = 0; j < w->ncol; j++) {
			if (j)
				sr_buf_addc(&w->row, ',');
			w->cell.len = 0;
			cell(w, ev, w->col[j]);
			put_cell(w, w->cell.p, w->cell.len);
		}
		sr_buf_addc(&w->row, '\n');
		if (!w->row.p || w->args_failed)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot write csv: out of memory");
		sr_sink_write(w->out, w->row.p, w->row.len);
	}
	return SR_OK;
}

static enum sr_status csv_finish(struct sr_writer *w, struct sr_error *err)
{
	(void)w;
	(void)err;
	return SR_OK;
}

static void csv_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_buf_free(&w->row);
	sr_buf_free(&w->cell);
	sr_buf_free(&w->ptr);
	sr_semantic_free(w->sem);
	sr_arena_free(w->arena);
	free(w);
}

static const struct sr_optdesc sr_out_csv_keys[] = {
	{ "columns", "the columns, in order (e.g. time,pid,syscall,return,errno,duration,arg0,args); "
		     "an argument's name (pathname, flags...) is its semantic value" },
	{ "arch", "the syscall table of argument columns: x86_64 (default), i386, aarch64" },
	{ "record", "semantic (default): args is the JSON record's args object; spelling: the "
		    "positional spelled trees of earlier versions" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_csv = {
	.name = "csv",
	.ext = ".csv",
	.summary = "CSV for pandas: one row per event (-O columns=... / --columns)",
	.open = csv_open,
	.write = csv_write_batch,
	.finish = csv_finish,
	.close = csv_close,
	.opt_keys = sr_out_csv_keys,
};
