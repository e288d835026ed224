/*
 * frame.c - the columns of sysrep.frame(), filled in C straight from the
 * events: numbers into typed buffers (bytearrays that numpy wraps without
 * a copy), names as category codes.  No text is made, except for argument
 * columns, which come from the JSON Lines record so they hold exactly what
 * sysrep.read() gives.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr_py.h"

/* A column under construction: n elements of esz bytes in a bytearray
 * grown by doubling and cut to size at the end. */
struct col {
	PyObject *arr;  /* owned: bytearray */
	size_t esz, cap;
};

static int col_init(struct col *c, size_t esz)
{
	c->esz = esz;
	c->cap = 0;
	c->arr = PyByteArray_FromStringAndSize(NULL, 0);
	return c->arr ? 0 : -1;
}

static int col_reserve(struct col *c, size_t n)
{
	size_t cap;

	if (n <= c->cap)
		return 0;
	cap = c->cap ? c->cap : 4096;
	while (cap < n)
		cap *= 2;
	if (PyByteArray_Resize(c->arr, (Py_ssize_t)(cap * c->esz)) < 0)
		return -1;
	c->cap = cap;
	return 0;
}

static void *col_at(struct col *c, size_t i)
{
	return PyByteArray_AS_STRING(c->arr) + i * c->esz;
}

/* A categorical column: codes (int32, -1 missing) and its categories, in
 * order of first appearance; code_of maps an atom id to its code + 1. */
struct cat {
	struct col codes;
	PyObject *names;   /* owned: list of str */
	int32_t *code_of;  /* owned */
	size_t cap;
};

static int cat_code(struct cat *c, const struct sr_atom *a, int32_t *code)
{
	if (!a) {
		*code = -1;
		return 0;
	}
	if (a->id >= c->cap) {
		size_t cap = c->cap ? c->cap : 256;
		int32_t *p;

		while (cap <= a->id)
			cap *= 2;
		p = realloc(c->code_of, cap * sizeof(*p));
		if (!p) {
			PyErr_NoMemory();
			return -1;
		}
		memset(p + c->cap, 0, (cap - c->cap) * sizeof(*p));
		c->code_of = p;
		c->cap = cap;
	}
	if (!c->code_of[a->id]) {
		PyObject *s = PyUnicode_DecodeUTF8(a->str, a->len, "surrogateescape");

		if (!s || PyList_Append(c->names, s) < 0) {
			Py_XDECREF(s);
			return -1;
		}
		Py_DECREF(s);
		c->code_of[a->id] = (int32_t)PyList_GET_SIZE(c->names);
	}
	*code = c->code_of[a->id] - 1;
	return 0;
}

/* The number JSON's "time" holds, read back as a double exactly as
 * json.loads reads the decimal the writer prints (sr_json_time): an
 * integer division of two exact doubles is correctly rounded, which is
 * what parsing the decimal gives; beyond 2^53 strtod does it. */
static double time_value(const struct sr_time *t)
{
	static const uint32_t p10[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
					   10000000, 100000000, 1000000000 };
	unsigned int dig = t->digits > 9 ? 9 : t->digits;
	int64_t sec = t->sec;
	uint32_t ns = t->nsec;
	uint64_t mag, frac, whole;
	bool neg = false;

	if (ns >= 1000000000u) {
		sec += ns / 1000000000u;
		ns %= 1000000000u;
	}
	if (sec < 0) {
		neg = true;
		if (ns) {
			mag = 0 - (uint64_t)(sec + 1);
			ns = 1000000000u - ns;
		} else {
			mag = 0 - (uint64_t)sec;
		}
	} else {
		mag = (uint64_t)sec;
	}
	frac = ns / p10[9 - dig];
	if (mag < (1ull << 53) / p10[dig] && (whole = mag * p10[dig] + frac) < (1ull << 53)) {
		double v = (double)whole / (double)p10[dig];

		return neg ? -v : v;
	} else {
		char buf[48];

		snprintf(buf, sizeof(buf), "%s%llu.%0*llu", neg ? "-" : "", (unsigned long long)mag,
			 (int)dig, (unsigned long long)frac);
		return strtod(buf, NULL);
	}
}

/* The integer of a return value, through an fd annotation or a comment,
 * as the JSON Lines writer finds it for "return". */
static const struct sr_value *ret_int(const struct sr_value *r)
{
	for (int depth = 0; r && depth < 4; depth++) {
		if (r->kind == SR_V_INT)
			return r;
		if (!r->nkids || (r->kind != SR_V_FD && r->kind != SR_V_COMMENT))
			return NULL;
		r = &r->kids[0];
	}
	return NULL;
}

enum { C_LINE, C_PID, C_PID_NA, C_TIME, C_NR, C_NR_NA, C_RET, C_RET_NA, C_DUR, C_TYPE, C__N };
enum { K_SYSCALL, K_SIGNAL, K_ERRNO, K__N };
static const char *const cat_names[K__N] = { "syscall", "signal", "errno" };

struct frame {
	struct col c[C__N];
	struct cat k[K__N];
	size_t n;
	PyObject **argcols;  /* owned: one list per requested argument column */
	PyObject *argnames;  /* borrowed: list of str */
	Py_ssize_t nargcols;
};

static int add_batch(struct frame *f, const struct sr_batch *b)
{
	size_t n = f->n + b->n;

	for (int i = 0; i < C__N; i++)
		if (col_reserve(&f->c[i], n) < 0)
			return -1;
	for (int i = 0; i < K__N; i++)
		if (col_reserve(&f->k[i].codes, n) < 0)
			return -1;
	int64_t *line = col_at(&f->c[C_LINE], f->n), *pid = col_at(&f->c[C_PID], f->n),
		*nr = col_at(&f->c[C_NR], f->n), *ret = col_at(&f->c[C_RET], f->n);
	uint8_t *pid_na = col_at(&f->c[C_PID_NA], f->n), *nr_na = col_at(&f->c[C_NR_NA], f->n),
		*ret_na = col_at(&f->c[C_RET_NA], f->n), *type = col_at(&f->c[C_TYPE], f->n);
	double *time = col_at(&f->c[C_TIME], f->n), *dur = col_at(&f->c[C_DUR], f->n);
	int32_t *sc = col_at(&f->k[K_SYSCALL].codes, f->n), *sg = col_at(&f->k[K_SIGNAL].codes, f->n),
		*er = col_at(&f->k[K_ERRNO].codes, f->n);

	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		const struct sr_leader *l = &ev->lead;
		unsigned int kind = ev->kind;
		const struct sr_value *iv;

		type[i] = kind > 0 && kind < SR_E__COUNT ? (uint8_t)(kind - 1) : 255;
		line[i] = (int64_t)ev->line;
		pid[i] = l->pid >= 0 ? l->pid : 0;
		pid_na[i] = l->pid < 0;
		if (l->time.clock == SR_CLOCK_NONE)
			time[i] = NAN;
		else if (kind == SR_E_SYSCALL && (ev->flags & SR_EF_RESUMED) &&
			 ev->start.clock != SR_CLOCK_NONE)
			time[i] = time_value(&ev->start);
		else
			time[i] = time_value(&l->time);
		dur[i] = ev->duration.clock != SR_CLOCK_NONE ? time_value(&ev->duration) : NAN;
		nr[i] = ev->nr >= 0 ? ev->nr : 0;
		nr_na[i] = ev->nr < 0;
		iv = kind == SR_E_SYSCALL && ev->has_ret ? ret_int(ev->ret) : NULL;
		/* an unsigned return beyond INT64_MAX keeps its 64 bits: the
		 * register's value, as C's (long) would read it */
		ret[i] = iv ? iv->num.i : 0;
		ret_na[i] = !iv;
		if (cat_code(&f->k[K_SYSCALL],
			     kind == SR_E_SYSCALL || kind == SR_E_UNFINISHED || kind == SR_E_SUMMARY ?
				     ev->name : NULL, &sc[i]) < 0 ||
		    cat_code(&f->k[K_SIGNAL], kind == SR_E_SIGNAL || kind == SR_E_KILLED ? ev->name : NULL,
			     &sg[i]) < 0 ||
		    cat_code(&f->k[K_ERRNO], ev->err, &er[i]) < 0)
			return -1;
	}
	f->n = n;
	return 0;
}

/* The requested argument of one record: args[name] when args is an
 * object (the semantic record), args[i] for "argI" when it is an array. */
static PyObject *pick_arg(PyObject *args, PyObject *name)
{
	if (args && PyDict_Check(args)) {
		PyObject *v = PyDict_GetItemWithError(args, name);

		if (v || PyErr_Occurred()) {
			Py_XINCREF(v);
			return v;
		}
	} else if (args && PyList_Check(args)) {
		const char *s = PyUnicode_AsUTF8(name);
		char *end;
		long i;

		if (!s)
			return NULL;
		if (!strncmp(s, "arg", 3) && s[3] >= '0' && s[3] <= '9') {
			i = strtol(s + 3, &end, 10);
			if (!*end && i < PyList_GET_SIZE(args)) {
				PyObject *v = PyList_GET_ITEM(args, i);

				Py_INCREF(v);
				return v;
			}
		}
	}
	Py_RETURN_NONE;
}

static int add_args(struct frame *f, struct sr_py_jsonl *j, PyObject *loads, const struct sr_batch *b)
{
	struct sr_py_buf *buf = &j->buf;

	if (sr_py_jsonl_write(j, b) < 0)
		return -1;
	for (size_t i = 0; i < b->n; i++) {
		const char *p = buf->p + buf->pos, *nl = memchr(p, '\n', buf->len - buf->pos);
		PyObject *line, *rec, *args;

		if (!nl) {
			PyErr_SetString(PyExc_RuntimeError, "the JSON Lines writer wrote fewer records than events");
			return -1;
		}
		line = PyUnicode_DecodeUTF8(p, nl - p, "surrogateescape");
		buf->pos += (size_t)(nl - p) + 1;
		rec = line ? PyObject_CallOneArg(loads, line) : NULL;
		Py_XDECREF(line);
		if (!rec)
			return -1;
		args = PyDict_Check(rec) ? PyDict_GetItemString(rec, "args") : NULL;
		for (Py_ssize_t k = 0; k < f->nargcols; k++) {
			PyObject *v = pick_arg(args, PyList_GET_ITEM(f->argnames, k));

			if (!v || PyList_Append(f->argcols[k], v) < 0) {
				Py_XDECREF(v);
				Py_DECREF(rec);
				return -1;
			}
			Py_DECREF(v);
		}
		Py_DECREF(rec);
	}
	return 0;
}

static void frame_free(struct frame *f)
{
	for (int i = 0; i < C__N; i++)
		Py_CLEAR(f->c[i].arr);
	for (int i = 0; i < K__N; i++) {
		Py_CLEAR(f->k[i].codes.arr);
		Py_CLEAR(f->k[i].names);
		free(f->k[i].code_of);
	}
	for (Py_ssize_t k = 0; f->argcols && k < f->nargcols; k++)
		Py_XDECREF(f->argcols[k]);
	free(f->argcols);
}

/* Cuts the column to its n elements: the bytearray gives the spare
 * capacity back, so the frame costs what it holds. */
static PyObject *col_done(struct col *c, size_t n)
{
	if (PyByteArray_Resize(c->arr, (Py_ssize_t)(n * c->esz)) < 0)
		return NULL;
	Py_INCREF(c->arr);
	return c->arr;
}

static int put(PyObject *d, const char *key, PyObject *v)
{
	int r = v ? PyDict_SetItemString(d, key, v) : -1;

	Py_XDECREF(v);
	return r;
}

PyObject *sr_py_frame_arrays(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "src", "format", "arch", "filters", "options", "progress", "argcols",
				  NULL };
	PyObject *src, *filters = NULL, *options = NULL, *progress = NULL, *argnames = NULL;
	PyObject *out = NULL, *loads = NULL, *types = NULL;
	const char *format = NULL, *arch = NULL;
	struct sr_py_stream s;
	struct sr_py_jsonl j;
	struct frame f;
	bool jopen = false;
	int st;

	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zzOOOO", kwlist, &src, &format, &arch, &filters,
					 &options, &progress, &argnames))
		return NULL;
	memset(&f, 0, sizeof(f));
	if (argnames && argnames != Py_None) {
		if (!PyList_Check(argnames))
			return PyErr_Format(PyExc_TypeError, "argcols must be a list of str");
		f.argnames = argnames;
		f.nargcols = PyList_GET_SIZE(argnames);
	}
	if (sr_py_stream_open(&s, src, format, arch, filters, options, progress) < 0)
		return NULL;
	if (col_init(&f.c[C_LINE], 8) < 0 || col_init(&f.c[C_PID], 8) < 0 ||
	    col_init(&f.c[C_PID_NA], 1) < 0 || col_init(&f.c[C_TIME], 8) < 0 ||
	    col_init(&f.c[C_NR], 8) < 0 || col_init(&f.c[C_NR_NA], 1) < 0 ||
	    col_init(&f.c[C_RET], 8) < 0 || col_init(&f.c[C_RET_NA], 1) < 0 ||
	    col_init(&f.c[C_DUR], 8) < 0 || col_init(&f.c[C_TYPE], 1) < 0)
		goto out;
	for (int i = 0; i < K__N; i++)
		if (col_init(&f.k[i].codes, 4) < 0 || !(f.k[i].names = PyList_New(0)))
			goto out;
	if (f.nargcols) {
		PyObject *json = PyImport_ImportModule("json");

		loads = json ? PyObject_GetAttrString(json, "loads") : NULL;
		Py_XDECREF(json);
		f.argcols = calloc((size_t)f.nargcols, sizeof(*f.argcols));
		if (!loads || !f.argcols)
			goto out;
		for (Py_ssize_t k = 0; k < f.nargcols; k++)
			if (!(f.argcols[k] = PyList_New(0)))
				goto out;
		if (sr_py_jsonl_open(&j, "<memory>", &s.opts) < 0)
			goto out;
		jopen = true;
	}
	while ((st = sr_py_stream_next(&s)) > 0) {
		if (add_batch(&f, &s.b) < 0)
			goto out;
		if (f.nargcols && add_args(&f, &j, loads, &s.b) < 0)
			goto out;
	}
	if (st < 0)
		goto out;

	out = PyDict_New();
	types = PyList_New(0);
	if (!out || !types)
		goto fail;
	for (int k = 1; k < SR_E__COUNT; k++) {
		PyObject *t = PyUnicode_FromString(sr_ekind_name(k));

		if (!t || PyList_Append(types, t) < 0) {
			Py_XDECREF(t);
			goto fail;
		}
		Py_DECREF(t);
	}
	if (put(out, "type", Py_BuildValue("(sNO)", "category8", col_done(&f.c[C_TYPE], f.n), types)) < 0 ||
	    put(out, "line", Py_BuildValue("(sN)", "int64", col_done(&f.c[C_LINE], f.n))) < 0 ||
	    put(out, "pid", Py_BuildValue("(sNN)", "Int64", col_done(&f.c[C_PID], f.n),
					  col_done(&f.c[C_PID_NA], f.n))) < 0 ||
	    put(out, "time", Py_BuildValue("(sN)", "float64", col_done(&f.c[C_TIME], f.n))) < 0 ||
	    put(out, "nr", Py_BuildValue("(sNN)", "Int64", col_done(&f.c[C_NR], f.n),
					 col_done(&f.c[C_NR_NA], f.n))) < 0 ||
	    put(out, "return", Py_BuildValue("(sNN)", "Int64", col_done(&f.c[C_RET], f.n),
					     col_done(&f.c[C_RET_NA], f.n))) < 0 ||
	    put(out, "duration", Py_BuildValue("(sN)", "float64", col_done(&f.c[C_DUR], f.n))) < 0)
		goto fail;
	for (int i = 0; i < K__N; i++)
		if (put(out, cat_names[i], Py_BuildValue("(sNO)", "category", col_done(&f.k[i].codes, f.n),
							 f.k[i].names)) < 0)
			goto fail;
	for (Py_ssize_t k = 0; k < f.nargcols; k++) {
		const char *name = PyUnicode_AsUTF8(PyList_GET_ITEM(f.argnames, k));

		if (!name || put(out, name, Py_BuildValue("(sO)", "object", f.argcols[k])) < 0)
			goto fail;
	}
	goto out;
fail:
	Py_CLEAR(out);
out:
	Py_XDECREF(types);
	Py_XDECREF(loads);
	if (jopen)
		sr_py_jsonl_close(&j);
	frame_free(&f);
	sr_py_stream_close(&s);
	return out;
}
