/*
 * module.c - the _sysrep extension: exceptions, the input stream every
 * function reads through, and the JSON Lines writer on a memory sink.
 *
 * Records handed to Python are the JSON Lines writer's own output, parsed
 * by Python's json module: whatever the record becomes, sysrep.read()
 * yields exactly what json.loads of "sysrep convert -t jsonl" gives.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sr_py.h"

PyObject *sr_py_Error, *sr_py_ParseError, *sr_py_FormatError, *sr_py_UsageError,
	*sr_py_FileError;

PyObject *sr_py_raise(const struct sr_error *err)
{
	PyObject *cls, *exc, *v;
	char buf[1024];

	switch (err->code) {
	case SR_ERR_PARSE:
		cls = sr_py_ParseError;
		break;
	case SR_ERR_FORMAT:
		cls = sr_py_FormatError;
		break;
	case SR_ERR_USAGE:
		cls = sr_py_UsageError;
		break;
	case SR_ERR_IO:
		cls = sr_py_FileError;
		break;
	case SR_ERR_NOMEM:
		return PyErr_NoMemory();
	default:
		cls = sr_py_Error;
	}
	sr_error_format(err, buf, sizeof(buf));
	/* a message may quote input bytes that are not UTF-8 (jansson's
	 * "near '\xf3'"): they are escaped, or raising would raise
	 * UnicodeDecodeError instead (found by test_errors' fuzz inputs) */
	exc = PyObject_CallFunction(cls, "N",
				    PyUnicode_DecodeUTF8(buf, (Py_ssize_t)strlen(buf), "backslashreplace"));
	if (!exc)
		return NULL;
	/* the attributes are set on the instance: OSError's constructor
	 * would otherwise read its arguments as (errno, strerror) */
	v = PyUnicode_DecodeFSDefault(err->file);
	if (v) {
		PyObject_SetAttrString(exc, "file", v);
		Py_DECREF(v);
	}
	v = PyLong_FromUnsignedLongLong(err->line);
	if (v) {
		PyObject_SetAttrString(exc, "line", v);
		Py_DECREF(v);
	}
	v = PyLong_FromUnsignedLong(err->col);
	if (v) {
		PyObject_SetAttrString(exc, "column", v);
		Py_DECREF(v);
	}
	v = PyUnicode_DecodeUTF8(err->msg, (Py_ssize_t)strlen(err->msg), "backslashreplace");
	if (v) {
		PyObject_SetAttrString(exc, "message", v);
		Py_DECREF(v);
	}
	v = PyUnicode_FromString(sr_status_str(err->code));
	if (v) {
		PyObject_SetAttrString(exc, "code", v);
		Py_DECREF(v);
	}
	PyErr_SetObject(cls, exc);
	Py_DECREF(exc);
	return NULL;
}

PyObject *sr_py_usage(const char *fmt, ...)
{
	struct sr_error err = { .code = SR_ERR_USAGE };
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err.msg, sizeof(err.msg), fmt, ap);
	va_end(ap);
	return sr_py_raise(&err);
}

/* ------------------------------------------------------------------ */
/* Memory buffer                                                       */

int sr_py_buf_take(void *ctx, const void *p, size_t n)
{
	struct sr_py_buf *b = ctx;

	if (b->pos && b->pos == b->len) {
		b->pos = b->len = 0;
	} else if (b->pos > b->cap / 2) {
		/* keep the unread tail only */
		memmove(b->p, b->p + b->pos, b->len - b->pos);
		b->len -= b->pos;
		b->pos = 0;
	}
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 1 << 16;
		char *q;

		while (cap - b->len < n)
			cap *= 2;
		q = realloc(b->p, cap);
		if (!q)
			return ENOMEM;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

void sr_py_buf_free(struct sr_py_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof(*b));
}

/* ------------------------------------------------------------------ */
/* JSON Lines into memory                                              */

int sr_py_jsonl_open(struct sr_py_jsonl *j, const char *name, const struct sr_opts *opts)
{
	struct sr_error err = { 0 };

	memset(j, 0, sizeof(*j));
	j->wc = sr_writer_find("jsonl");
	if (!j->wc) {
		PyErr_SetString(PyExc_RuntimeError, "libsysrep has no jsonl writer");
		return -1;
	}
	if (sr_sink_open_fn(&j->sink, name, sr_py_buf_take, &j->buf, &err) < 0 ||
	    j->wc->open(&j->w, j->sink, opts, &err) < 0) {
		sr_py_raise(&err);
		sr_py_jsonl_close(j);
		return -1;
	}
	return 0;
}

int sr_py_jsonl_write(struct sr_py_jsonl *j, const struct sr_batch *b)
{
	struct sr_error err = { 0 };

	if (b->n && j->wc->write(j->w, b, &err) < 0) {
		sr_py_raise(&err);
		return -1;
	}
	if (sr_sink_flush(j->sink, &err) < 0) {
		sr_py_raise(&err);
		return -1;
	}
	return 0;
}

int sr_py_jsonl_finish(struct sr_py_jsonl *j)
{
	struct sr_error err = { 0 };

	if (j->wc->finish(j->w, &err) < 0 || sr_sink_flush(j->sink, &err) < 0) {
		sr_py_raise(&err);
		return -1;
	}
	return 0;
}

void sr_py_jsonl_close(struct sr_py_jsonl *j)
{
	if (j->w)
		j->wc->close(j->w);
	j->w = NULL;
	if (j->sink)
		sr_sink_abort(j->sink);
	j->sink = NULL;
	sr_py_buf_free(&j->buf);
}

/* ------------------------------------------------------------------ */
/* The input stream                                                    */

#define DETECT_BYTES 4096

/* A file object's bytes into a memfd, which the library then opens by
 * name like any file (so decompression and detection apply). */
static int copy_to_memfd(struct sr_py_stream *s, PyObject *f)
{
	s->memfd = memfd_create("sysrep-input", MFD_CLOEXEC);
	if (s->memfd < 0) {
		PyErr_SetFromErrno(PyExc_OSError);
		return -1;
	}
	for (;;) {
		PyObject *chunk = PyObject_CallMethod(f, "read", "n", (Py_ssize_t)1 << 20);
		const char *p;
		Py_ssize_t n;

		if (!chunk)
			return -1;
		if (PyUnicode_Check(chunk)) {
			p = PyUnicode_AsUTF8AndSize(chunk, &n);
		} else if (PyBytes_Check(chunk) || PyByteArray_Check(chunk)) {
			p = PyBytes_Check(chunk) ? PyBytes_AS_STRING(chunk) : PyByteArray_AS_STRING(chunk);
			n = PyBytes_Check(chunk) ? PyBytes_GET_SIZE(chunk) : PyByteArray_GET_SIZE(chunk);
		} else {
			Py_DECREF(chunk);
			PyErr_SetString(PyExc_TypeError, "read() of the file object gave neither bytes nor str");
			return -1;
		}
		if (!p) {
			Py_DECREF(chunk);
			return -1;
		}
		if (n == 0) {
			Py_DECREF(chunk);
			break;
		}
		while (n > 0) {
			ssize_t w = write(s->memfd, p, (size_t)n);

			if (w < 0) {
				if (errno == EINTR)
					continue;
				Py_DECREF(chunk);
				PyErr_SetFromErrno(PyExc_OSError);
				return -1;
			}
			p += w;
			n -= w;
		}
		Py_DECREF(chunk);
	}
	snprintf(s->name, sizeof(s->name), "/proc/self/fd/%d", s->memfd);
	return 0;
}

/* The path the library opens for src, into s->name. */
static int input_name(struct sr_py_stream *s, PyObject *src, char *path, size_t n)
{
	PyObject *fsname = NULL, *fileno;

	if (PyUnicode_Check(src) || PyBytes_Check(src) || PyObject_HasAttrString(src, "__fspath__")) {
		if (!PyUnicode_FSConverter(src, &fsname))
			return -1;
		snprintf(path, n, "%s", PyBytes_AS_STRING(fsname));
		snprintf(s->name, sizeof(s->name), "%s", path);
		Py_DECREF(fsname);
		return 0;
	}
	if (!PyObject_HasAttrString(src, "read")) {
		PyErr_SetString(PyExc_TypeError, "expected a path or a file object");
		return -1;
	}
	/* An unbuffered pipe or terminal is streamed through its descriptor.
	 * A buffered one (it has peek()) may hold input in its buffer already,
	 * and any other object may wrap its bytes (gzip.open, a BytesIO): its
	 * read() is the truth, copied to a memfd. */
	fileno = PyObject_CallMethod(src, "fileno", NULL);
	if (fileno) {
		long fd = PyLong_AsLong(fileno);
		struct stat st;

		Py_DECREF(fileno);
		if (fd >= 0 && fstat((int)fd, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) &&
		    !PyObject_HasAttrString(src, "peek")) {
			snprintf(path, n, "/proc/self/fd/%ld", fd);
			snprintf(s->name, sizeof(s->name), "%s", path);
			return 0;
		}
	}
	PyErr_Clear();
	if (copy_to_memfd(s, src) < 0)
		return -1;
	snprintf(path, n, "%s", s->name);
	/* errors name the object, not the memfd */
	{
		PyObject *nm = PyObject_GetAttrString(src, "name");
		const char *c = nm && PyUnicode_Check(nm) ? PyUnicode_AsUTF8(nm) : NULL;

		snprintf(s->name, sizeof(s->name), "%s", c ? c : "<file object>");
		Py_XDECREF(nm);
		PyErr_Clear();
	}
	return 0;
}

/* A str option into s->optv; the string is kept alive by s->keep. */
static int add_opt(struct sr_py_stream *s, const char *key, PyObject *val)
{
	PyObject *k, *v;

	if (s->opts.n >= sizeof(s->optv) / sizeof(s->optv[0])) {
		sr_py_usage("too many format options");
		return -1;
	}
	k = PyUnicode_FromString(key);
	v = val == Py_None ? PyUnicode_FromString("") : PyObject_Str(val);
	if (!k || !v || PyList_Append(s->keep, k) < 0 || PyList_Append(s->keep, v) < 0) {
		Py_XDECREF(k);
		Py_XDECREF(v);
		return -1;
	}
	s->optv[s->opts.n].key = PyUnicode_AsUTF8(k);
	s->optv[s->opts.n].value = PyUnicode_AsUTF8(v);
	Py_DECREF(k);
	Py_DECREF(v);
	if (!s->optv[s->opts.n].key || !s->optv[s->opts.n].value)
		return -1;
	s->opts.n++;
	return 0;
}

/* trace=, pid=, status=, since=, until=: strings (the Python side makes
 * them from lists, bools and numbers), the CLI's spellings. */
int sr_py_filters(struct sr_py_stream *s, PyObject *filters)
{
	struct sr_error err = { 0 };
	PyObject *key, *val;
	Py_ssize_t pos = 0;

	if (!filters || filters == Py_None || !PyDict_Size(filters))
		return 0;
	s->filter = sr_filter_new();
	if (!s->filter) {
		PyErr_NoMemory();
		return -1;
	}
	while (PyDict_Next(filters, &pos, &key, &val)) {
		const char *k = PyUnicode_AsUTF8(key), *v;
		double t;

		if (!k || !(v = PyUnicode_Check(val) ? PyUnicode_AsUTF8(val) : NULL)) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "filter values must be strings");
			return -1;
		}
		if (!strcmp(k, "trace")) {
			if (sr_filter_trace(s->filter, v, &err) < 0)
				goto bad;
		} else if (!strcmp(k, "pid")) {
			if (sr_filter_pids(s->filter, v, &err) < 0)
				goto bad;
		} else if (!strcmp(k, "status")) {
			if (!strcmp(v, "failed"))
				sr_filter_status(s->filter, SR_FILTER_FAILED);
			else if (!strcmp(v, "successful"))
				sr_filter_status(s->filter, SR_FILTER_SUCCESSFUL);
			else if (strcmp(v, "any"))
				return sr_py_usage("unknown status filter '%s'", v), -1;
		} else if (!strcmp(k, "since") || !strcmp(k, "until")) {
			if (!sr_filter_parse_time(v, &t))
				return sr_py_usage("bad time for %s: '%s' (seconds, or HH:MM:SS[.frac])",
						   k, v), -1;
			sr_filter_window_end(s->filter, k[0] == 's', t);
		} else {
			return sr_py_usage("unknown filter '%s'", k), -1;
		}
	}
	return 0;
bad:
	sr_py_raise(&err);
	return -1;
}

int sr_py_stream_open(struct sr_py_stream *s, PyObject *src, const char *format, const char *arch,
		      PyObject *filters, PyObject *options, PyObject *progress)
{
	struct sr_error err = { 0 };
	enum sr_status st;
	char path[4096];

	memset(s, 0, sizeof(*s));
	s->memfd = -1;
	s->opts.v = s->optv;
	s->keep = PyList_New(0);
	if (!s->keep)
		goto fail;
	s->arch = sr_arch_parse(arch ? arch : sr_arch_name(SR_ARCH_DEFAULT));
	if (s->arch == SR_ARCH_UNKNOWN) {
		sr_py_usage("unknown architecture '%s' (x86_64, i386 or aarch64)", arch);
		goto fail;
	}
	if (options && options != Py_None) {
		PyObject *key, *val;
		Py_ssize_t pos = 0;

		if (!PyDict_Check(options)) {
			PyErr_SetString(PyExc_TypeError, "options must be a dict");
			goto fail;
		}
		while (PyDict_Next(options, &pos, &key, &val)) {
			const char *k = PyUnicode_AsUTF8(key);

			if (!k || add_opt(s, k, val) < 0)
				goto fail;
		}
	}
	if (arch) {
		PyObject *a = PyUnicode_FromString(arch);

		if (!a || add_opt(s, "arch", a) < 0) {
			Py_XDECREF(a);
			goto fail;
		}
		Py_DECREF(a);
	}
	if (sr_py_filters(s, filters) < 0)
		goto fail;
	if (progress && progress != Py_None) {
		if (!PyCallable_Check(progress)) {
			PyErr_SetString(PyExc_TypeError, "progress must be callable");
			goto fail;
		}
		Py_INCREF(progress);
		s->progress = progress;
	}
	if (input_name(s, src, path, sizeof(path)) < 0)
		goto fail;
	s->atoms = sr_intern_new();
	if (!s->atoms || sr_batch_init(&s->b, s->atoms) < 0) {
		PyErr_NoMemory();
		goto fail;
	}
	/* Opening, peeking and the reader's open may block on a pipe that a
	 * Python thread feeds: without the GIL. */
	Py_BEGIN_ALLOW_THREADS
	st = sr_source_open(&s->src, path, &err);
	Py_END_ALLOW_THREADS
	if (st < 0) {
		s->src = NULL;
		sr_error_file(&err, s->name);
		sr_py_raise(&err);
		goto fail;
	}
	if (format) {
		s->rc = sr_reader_find(format);
		if (!s->rc) {
			sr_py_usage("unknown input format '%s'", format);
			goto fail;
		}
	} else {
		unsigned char head[DETECT_BYTES];
		size_t n;

		Py_BEGIN_ALLOW_THREADS
		n = sr_source_peek(s->src, head, sizeof(head), &err);
		Py_END_ALLOW_THREADS

		if (err.code < 0) {
			sr_error_file(&err, s->name);
			sr_py_raise(&err);
			goto fail;
		}
		s->rc = sr_reader_detect(head, n);
		if (!s->rc)
			s->rc = sr_reader_find("strace");
	}
	Py_BEGIN_ALLOW_THREADS
	st = s->rc->open(&s->r, s->src, &s->opts, &err);
	Py_END_ALLOW_THREADS
	if (st < 0) {
		s->r = NULL;
		sr_error_file(&err, s->name);
		sr_py_raise(&err);
		goto fail;
	}
	return 0;
fail:
	sr_py_stream_close(s);
	return -1;
}

/* The number of every call from the arch table when strace did not print
 * it (-n), memoized by atom id, as the conversion pipeline does, so that
 * nr agrees with "sysrep convert --arch A". */
static int fill_numbers(struct sr_py_stream *s)
{
	for (size_t i = 0; i < s->b.n; i++) {
		struct sr_event *ev = &s->b.ev[i];
		uint32_t id;

		if ((ev->kind != SR_E_SYSCALL && ev->kind != SR_E_UNFINISHED) || ev->nr >= 0 ||
		    !ev->name)
			continue;
		id = ev->name->id;
		if (id >= s->nr_cap) {
			size_t cap = s->nr_cap ? s->nr_cap : 256;
			int32_t *p;

			while (cap <= id)
				cap *= 2;
			p = realloc(s->nr_of, cap * sizeof(*p));
			if (!p) {
				PyErr_NoMemory();
				return -1;
			}
			for (size_t k = s->nr_cap; k < cap; k++)
				p[k] = -2;
			s->nr_of = p;
			s->nr_cap = cap;
		}
		if (s->nr_of[id] == -2)
			s->nr_of[id] = sr_syscall_nr(s->arch, ev->name->str, ev->name->len);
		ev->nr = s->nr_of[id];
	}
	return 0;
}

int sr_py_stream_next(struct sr_py_stream *s)
{
	struct sr_error err = { 0 };
	enum sr_status st;

	if (s->done || !s->r)
		return 0;
	s->b.source = s->name;
	Py_BEGIN_ALLOW_THREADS
	st = s->rc->next(s->r, &s->b, &err);
	Py_END_ALLOW_THREADS
	if (st < 0) {
		s->done = true;
		if (!err.file[0])
			sr_error_file(&err, s->name);
		sr_py_raise(&err);
		return -1;
	}
	if (st == SR_END && s->b.n == 0) {
		s->done = true;
		return 0;
	}
	if (fill_numbers(s) < 0)
		return -1;
	if (s->filter)
		sr_filter_batch(s->filter, &s->b);
	s->events += s->b.n;
	if (s->progress) {
		PyObject *r = PyObject_CallFunction(s->progress, "KK",
						    (unsigned long long)sr_source_bytes(s->src),
						    (unsigned long long)s->events);
		if (!r) {
			s->done = true;
			return -1;
		}
		Py_DECREF(r);
	}
	if (st == SR_END)
		s->done = true;
	return 1;
}

void sr_py_stream_close(struct sr_py_stream *s)
{
	if (s->r)
		s->rc->close(s->r);
	s->r = NULL;
	sr_source_close(s->src);
	s->src = NULL;
	sr_batch_free(&s->b);
	memset(&s->b, 0, sizeof(s->b));
	sr_intern_free(s->atoms);
	s->atoms = NULL;
	free(s->nr_of);
	s->nr_of = NULL;
	s->nr_cap = 0;
	sr_filter_free(s->filter);
	s->filter = NULL;
	if (s->memfd >= 0)
		close(s->memfd);
	s->memfd = -1;
	Py_CLEAR(s->progress);
	Py_CLEAR(s->keep);
	s->done = true;
}

/* ------------------------------------------------------------------ */
/* The module                                                          */

/* plan_pieces(path, piece_bytes, format) -> [(start, end, line, spec)]:
 * the strace reader's pieces of one big file (sysrep.dask).  An input
 * another reader reads (format, or else detection as sysrep convert does
 * it) is one piece, spec None. */
static PyObject *py_plan_pieces(PyObject *self, PyObject *args)
{
	PyObject *path, *fs = NULL, *out = NULL;
	unsigned long long size;
	const char *format = NULL;
	struct sr_plan plan = { 0 };
	struct sr_error err = { 0 };
	enum sr_status st = SR_OK;
	bool strace = true;

	(void)self;
	if (!PyArg_ParseTuple(args, "OK|z", &path, &size, &format) ||
	    !PyUnicode_FSConverter(path, &fs))
		return NULL;
	Py_BEGIN_ALLOW_THREADS
	if (format) {
		strace = !strcmp(format, "strace");
	} else {
		struct sr_source *src = NULL;
		unsigned char head[4096];

		st = sr_source_open(&src, PyBytes_AS_STRING(fs), &err);
		if (!st) {
			const struct sr_reader_class *rc =
				sr_reader_detect(head, sr_source_peek(src, head, sizeof(head), &err));

			strace = !rc || !strcmp(rc->name, "strace");
			st = err.code < 0 ? err.code : SR_OK;
		}
		sr_source_close(src);
	}
	if (!st && strace)
		st = sr_strace_plan_pieces(PyBytes_AS_STRING(fs), size, &plan, &err);
	Py_END_ALLOW_THREADS
	Py_DECREF(fs);
	if (st < 0)
		return sr_py_raise(&err);
	if (!strace)
		return Py_BuildValue("[(KKKz)]", 0ULL, (unsigned long long)UINT64_MAX, 1ULL, NULL);
	out = PyList_New((Py_ssize_t)plan.n);
	for (size_t i = 0; out && i < plan.n; i++) {
		const struct sr_piece *p = &plan.piece[i];
		PyObject *t = Py_BuildValue("KKKz", (unsigned long long)p->start,
					    (unsigned long long)p->end, (unsigned long long)p->line,
					    p->spec);

		if (!t) {
			Py_CLEAR(out);
			break;
		}
		PyList_SET_ITEM(out, (Py_ssize_t)i, t);
	}
	sr_plan_free(&plan);
	return out;
}

static PyMethodDef methods[] = {
	{ "plan_pieces", py_plan_pieces, METH_VARARGS,
	  "plan_pieces(path, piece_bytes, format=None) -> list of (start, end, line, spec)" },
	{ "frame_arrays", (PyCFunction)(void (*)(void))sr_py_frame_arrays, METH_VARARGS | METH_KEYWORDS,
	  "frame_arrays(src, format, arch, filters, options, progress, argcols) -> dict of columns" },
	{ "sequences", (PyCFunction)(void (*)(void))sr_py_sequences, METH_VARARGS | METH_KEYWORDS,
	  "sequences(src, format, arch, by, filters, options, progress) -> list of (name, bytes)" },
	{ "convert", (PyCFunction)(void (*)(void))sr_py_convert, METH_VARARGS | METH_KEYWORDS,
	  "convert(srcs, dst, to, format, strict, keep_going, zstd, threads, options, filters,\n"
	  "        merge, recursive, jobs, chunk, progress) -> dict of counts" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef moddef = {
	PyModuleDef_HEAD_INIT,
	.m_name = "sysrep._sysrep",
	.m_doc = "The C half of the sysrep module: libsysrep's readers and writers.",
	.m_size = -1,
	.m_methods = methods,
};

static PyObject *new_error(PyObject *m, const char *name, PyObject *bases, const char *doc)
{
	char full[64];
	PyObject *e;

	snprintf(full, sizeof(full), "sysrep.%s", name);
	e = PyErr_NewExceptionWithDoc(full, doc, bases, NULL);
	if (!e)
		return NULL;
	/* every instance has the attributes, None until set */
	PyObject_SetAttrString(e, "file", Py_None);
	PyObject_SetAttrString(e, "line", Py_None);
	PyObject_SetAttrString(e, "column", Py_None);
	PyObject_SetAttrString(e, "code", Py_None);
	PyObject_SetAttrString(e, "message", Py_None);
	if (PyModule_AddObjectRef(m, name, e) < 0) {
		Py_DECREF(e);
		return NULL;
	}
	return e;
}

PyMODINIT_FUNC PyInit__sysrep(void)
{
	PyObject *m = PyModule_Create(&moddef), *b;

	if (!m)
		return NULL;
	if (PyType_Ready(&sr_py_RecordsType) < 0)
		goto fail;
	if (PyModule_AddObjectRef(m, "Records", (PyObject *)&sr_py_RecordsType) < 0)
		goto fail;
	sr_py_Error = new_error(m, "Error", NULL,
				"A sysrep error: file, line and column say where (None or 0 when unknown).");
	if (!sr_py_Error)
		goto fail;
	sr_py_ParseError = new_error(m, "ParseError", sr_py_Error, "Malformed input data.");
	sr_py_FormatError = new_error(m, "FormatError", sr_py_Error,
				      "An unknown format, or input of the wrong format.");
	b = PyTuple_Pack(2, sr_py_Error, PyExc_ValueError);
	sr_py_UsageError = b ? new_error(m, "UsageError", b, "A bad option or argument.") : NULL;
	Py_XDECREF(b);
	b = PyTuple_Pack(2, sr_py_Error, PyExc_OSError);
	sr_py_FileError = b ? new_error(m, "FileError", b, "An input or output that cannot be read or written.") : NULL;
	Py_XDECREF(b);
	if (!sr_py_ParseError || !sr_py_FormatError || !sr_py_UsageError || !sr_py_FileError)
		goto fail;
	if (PyModule_AddStringConstant(m, "version", SR_VERSION) < 0)
		goto fail;
	return m;
fail:
	Py_DECREF(m);
	return NULL;
}
