/*
 * seq.c - sysrep.sequences(): the seq writer's per-process sequences of
 * syscall numbers (its rules for threads, resumed calls and pid reuse, see
 * docs/seq.md), read back from its "lines" layout in memory into int64
 * buffers that numpy wraps.
 */
#include <stdlib.h>
#include <string.h>

#include "sr_py.h"

/* "PID: n n n\n" lines into a list of (pid, bytearray of int64). */
static PyObject *parse_lines(const char *p, const char *end)
{
	PyObject *list = PyList_New(0);

	while (list && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *colon;
		PyObject *arr, *pid, *item;
		size_t n = 0, cap;
		int64_t *v;

		if (!nl)
			nl = end;
		colon = memchr(p, ':', (size_t)(nl - p));
		if (!colon) {
			PyErr_SetString(PyExc_RuntimeError, "seq writer: a line without 'PID:'");
			goto fail;
		}
		pid = PyLong_FromString(strndupa(p, (size_t)(colon - p)), NULL, 10);
		if (!pid)
			goto fail;
		/* at most one number per two bytes */
		cap = (size_t)(nl - colon) / 2 + 1;
		arr = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(cap * sizeof(int64_t)));
		if (!arr) {
			Py_DECREF(pid);
			goto fail;
		}
		v = (int64_t *)PyByteArray_AS_STRING(arr);
		for (const char *q = colon + 1; q < nl;) {
			int64_t x = 0;

			while (q < nl && *q == ' ')
				q++;
			if (q == nl)
				break;
			while (q < nl && *q >= '0' && *q <= '9')
				x = x * 10 + (*q++ - '0');
			v[n++] = x;
		}
		item = PyByteArray_Resize(arr, (Py_ssize_t)(n * sizeof(int64_t))) < 0 ? NULL :
			Py_BuildValue("(NN)", pid, arr);
		if (!item || PyList_Append(list, item) < 0) {
			Py_XDECREF(item);
			goto fail;
		}
		Py_DECREF(item);
		p = nl + 1;
	}
	return list;
fail:
	Py_XDECREF(list);
	return NULL;
}

PyObject *sr_py_sequences(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "src", "format", "arch", "by", "filters", "options", "progress", NULL };
	PyObject *src, *filters = NULL, *options = NULL, *progress = NULL, *out = NULL;
	const char *format = NULL, *arch = NULL, *by = "pid";
	const struct sr_writer_class *wc = sr_writer_find("seq");
	struct sr_py_buf buf = { 0 };
	struct sr_error err = { 0 };
	struct sr_writer *w = NULL;
	struct sr_sink *sink = NULL;
	struct sr_py_stream s;
	struct sr_opt wo[3];
	struct sr_opts wopts = { wo, 3 };
	int st;

	(void)self;
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zzzOOO", kwlist, &src, &format, &arch, &by,
					 &filters, &options, &progress))
		return NULL;
	if (!wc)
		return PyErr_Format(PyExc_RuntimeError, "libsysrep has no seq writer");
	if (strcmp(by, "pid") && strcmp(by, "tid"))
		return sr_py_usage("by must be 'pid' or 'tid', not '%s'", by);
	wo[0] = (struct sr_opt){ "arch", arch ? arch : sr_arch_name(SR_ARCH_DEFAULT) };
	wo[1] = (struct sr_opt){ "by", by };
	wo[2] = (struct sr_opt){ "layout", "lines" };
	if (sr_py_stream_open(&s, src, format, arch, filters, options, progress) < 0)
		return NULL;
	if (sr_sink_open_fn(&sink, "<memory>", sr_py_buf_take, &buf, &err) < 0 ||
	    wc->open(&w, sink, &wopts, &err) < 0) {
		w = NULL;
		sr_py_raise(&err);
		goto out;
	}
	while ((st = sr_py_stream_next(&s)) > 0) {
		enum sr_status ws;

		if (!s.b.n)
			continue;
		Py_BEGIN_ALLOW_THREADS
		ws = wc->write(w, &s.b, &err);
		Py_END_ALLOW_THREADS
		if (ws < 0) {
			if (!err.file[0])
				sr_error_file(&err, s.name);
			sr_py_raise(&err);
			goto out;
		}
	}
	if (st < 0)
		goto out;
	if (wc->finish(w, &err) < 0 || sr_sink_flush(sink, &err) < 0) {
		if (!err.file[0])
			sr_error_file(&err, s.name);
		sr_py_raise(&err);
		goto out;
	}
	out = parse_lines(buf.p ? buf.p : "", (buf.p ? buf.p : "") + buf.len);
out:
	if (w)
		wc->close(w);
	sr_sink_abort(sink);
	sr_py_buf_free(&buf);
	sr_py_stream_close(&s);
	return out;
}
