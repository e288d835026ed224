/*
 * records.c - sysrep.read(): an iterator of dicts, each json.loads of one
 * record of the JSON Lines writer, which runs into memory batch by batch.
 */
#include <string.h>

#include "sr_py.h"

typedef struct {
	PyObject_HEAD
	struct sr_py_stream s;
	struct sr_py_jsonl j;
	PyObject *loads;  /* owned: json.loads */
	bool open, finished;
	bool busy; /* in next() with the GIL released: another thread must wait its turn */
} Records;

static void records_close(Records *r)
{
	if (!r->open)
		return;
	sr_py_jsonl_close(&r->j);
	sr_py_stream_close(&r->s);
	r->open = false;
}

static void records_dealloc(Records *r)
{
	records_close(r);
	Py_XDECREF(r->loads);
	Py_TYPE(r)->tp_free((PyObject *)r);
}

static PyObject *records_new(PyTypeObject *type, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "src", "format", "arch", "filters", "options", "progress", NULL };
	PyObject *src, *filters = NULL, *options = NULL, *progress = NULL, *json;
	const char *format = NULL, *arch = NULL;
	Records *r;

	if (!PyArg_ParseTupleAndKeywords(args, kw, "O|zzOOO", kwlist, &src, &format, &arch,
					 &filters, &options, &progress))
		return NULL;
	r = (Records *)type->tp_alloc(type, 0);
	if (!r)
		return NULL;
	json = PyImport_ImportModule("json");
	r->loads = json ? PyObject_GetAttrString(json, "loads") : NULL;
	Py_XDECREF(json);
	if (!r->loads)
		goto fail;
	if (sr_py_stream_open(&r->s, src, format, arch, filters, options, progress) < 0)
		goto fail;
	if (sr_py_jsonl_open(&r->j, "<memory>", &r->s.opts) < 0) {
		sr_py_stream_close(&r->s);
		goto fail;
	}
	r->open = true;
	return (PyObject *)r;
fail:
	Py_DECREF(r);
	return NULL;
}

/* The next complete line of the buffer as a dict, or NULL (no exception)
 * when the buffer holds none. */
static PyObject *next_line(Records *r)
{
	struct sr_py_buf *b = &r->j.buf;
	const char *p = b->p + b->pos, *nl;
	PyObject *line, *obj;

	if (b->pos >= b->len)
		return NULL;
	nl = memchr(p, '\n', b->len - b->pos);
	if (!nl)
		return NULL;
	line = PyUnicode_DecodeUTF8(p, nl - p, "surrogateescape");
	b->pos += (size_t)(nl - p) + 1;
	if (!line)
		return NULL;
	obj = PyObject_CallOneArg(r->loads, line);
	Py_DECREF(line);
	return obj;
}

static PyObject *records_next_locked(Records *r);

static PyObject *records_next(Records *r)
{
	PyObject *o;

	if (r->busy) {
		PyErr_SetString(PyExc_ValueError, "sysrep.Records: next() already running in another thread");
		return NULL;
	}
	r->busy = true;
	o = records_next_locked(r);
	r->busy = false;
	return o;
}

static PyObject *records_next_locked(Records *r)
{
	PyObject *o;

	for (;;) {
		int st;

		if ((o = next_line(r)) || PyErr_Occurred())
			return o;
		if (!r->open || r->finished)
			return NULL;
		st = sr_py_stream_next(&r->s);
		if (st < 0) {
			records_close(r);
			return NULL;
		}
		if (st == 0) {
			r->finished = true;
			if (sr_py_jsonl_finish(&r->j) < 0) {
				records_close(r);
				return NULL;
			}
			/* a writer's finish may still write records */
			if ((o = next_line(r)) || PyErr_Occurred()) {
				return o;
			}
			records_close(r);
			return NULL;
		}
		if (sr_py_jsonl_write(&r->j, &r->s.b) < 0) {
			records_close(r);
			return NULL;
		}
	}
}

static PyObject *records_close_m(Records *r, PyObject *unused)
{
	(void)unused;
	if (r->busy) {
		PyErr_SetString(PyExc_ValueError, "sysrep.Records: close() while next() runs in another thread");
		return NULL;
	}
	records_close(r);
	r->finished = true;
	Py_RETURN_NONE;
}

static PyObject *records_enter(Records *r, PyObject *unused)
{
	(void)unused;
	Py_INCREF(r);
	return (PyObject *)r;
}

static PyObject *records_exit(Records *r, PyObject *args)
{
	(void)args;
	if (r->busy) {
		PyErr_SetString(PyExc_ValueError, "sysrep.Records: closed while next() runs in another thread");
		return NULL;
	}
	records_close(r);
	r->finished = true;
	Py_RETURN_FALSE;
}

static PyObject *records_format(Records *r, void *unused)
{
	(void)unused;
	if (!r->s.rc)
		Py_RETURN_NONE;
	return PyUnicode_FromString(r->s.rc->name);
}

static PyMethodDef records_methods[] = {
	{ "close", (PyCFunction)records_close_m, METH_NOARGS, "Stop reading and free the input." },
	{ "__enter__", (PyCFunction)records_enter, METH_NOARGS, NULL },
	{ "__exit__", (PyCFunction)records_exit, METH_VARARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static PyGetSetDef records_getset[] = {
	{ "format", (getter)records_format, NULL, "the reader's name", NULL },
	{ NULL, NULL, NULL, NULL, NULL },
};

PyTypeObject sr_py_RecordsType = {
	PyVarObject_HEAD_INIT(NULL, 0)
	.tp_name = "sysrep.Records",
	.tp_doc = "Records(src, format=None, arch=None, filters=None, options=None, progress=None):\n"
		  "iterates over the JSON Lines records of a trace as dicts.",
	.tp_basicsize = sizeof(Records),
	.tp_flags = Py_TPFLAGS_DEFAULT,
	.tp_new = records_new,
	.tp_dealloc = (destructor)records_dealloc,
	.tp_iter = PyObject_SelfIter,
	.tp_iternext = (iternextfunc)records_next,
	.tp_methods = records_methods,
	.tp_getset = records_getset,
};
