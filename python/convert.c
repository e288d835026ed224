/*
 * convert.c - sysrep.convert(): the CLI's "sysrep convert" through the
 * library's pipeline (sr_conv_*, sr_corpus_run), with its options as
 * arguments: inputs in order into one output, --merge, corpus mode, the
 * filters, strict, keep-going, zstd, -j.
 *
 * The run releases the GIL; the progress callback and a Python file
 * object as the output take it back (PyGILState_Ensure), from whichever
 * thread the pipeline calls them.  An exception they raise is kept here
 * and raised again when the run is over.
 */
#include <stdlib.h>
#include <string.h>

#include "sr_py.h"

#define DEFAULT_ZSTD_LEVEL 3

struct conv_ctx {
	PyObject *progress;  /* borrowed; NULL: none */
	PyObject *file;      /* borrowed: the output file object; NULL: none */
	PyObject *exc_type, *exc_value, *exc_tb; /* owned: the first exception */
	uint64_t events;
	PyObject *failures;  /* borrowed: list of errors (keep_going, corpus mode) */
	PyObject *skipped;   /* borrowed: corpus mode's [(path, why)] of files not traces */
};

/* Keeps the pending Python exception (the first one) for later. */
static void keep_exception(struct conv_ctx *c)
{
	PyObject *t, *v, *tb;

	PyErr_Fetch(&t, &v, &tb);
	if (c->exc_type) {
		Py_XDECREF(t);
		Py_XDECREF(v);
		Py_XDECREF(tb);
		return;
	}
	c->exc_type = t;
	c->exc_value = v;
	c->exc_tb = tb;
}

static enum sr_status observe(void *ctx, const struct sr_batch *b, uint64_t bytes,
			      struct sr_error *err)
{
	struct conv_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	enum sr_status st = SR_OK;
	PyObject *r;

	c->events += b->n;
	r = PyObject_CallFunction(c->progress, "KK", (unsigned long long)bytes,
				  (unsigned long long)c->events);
	if (r) {
		Py_DECREF(r);
	} else {
		keep_exception(c);
		st = sr_error_set(err, SR_ERR_USAGE, "the progress callback raised an exception");
	}
	PyGILState_Release(g);
	return st;
}

static int to_file(void *ctx, const void *p, size_t n)
{
	struct conv_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	int e = 0;

	while (n > 0) {
		PyObject *mv = PyMemoryView_FromMemory((char *)p, (Py_ssize_t)n, PyBUF_READ);
		PyObject *r = mv ? PyObject_CallMethod(c->file, "write", "O", mv) : NULL;
		Py_ssize_t w;

		Py_XDECREF(mv);
		if (!r) {
			keep_exception(c);
			e = EIO;
			break;
		}
		/* write() of a raw file may take less; None: a non-blocking
		 * file that took nothing, which this cannot wait for */
		w = r == Py_None ? -1 : PyLong_AsSsize_t(r);
		Py_DECREF(r);
		if (w < 0 || (size_t)w > n) {
			if (PyErr_Occurred())
				keep_exception(c);
			e = EIO;
			break;
		}
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	PyGILState_Release(g);
	return e;
}

static void corpus_skipped(void *ctx, const char *path, const char *why)
{
	struct conv_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *t = Py_BuildValue("(ss)", path, why);

	if (!t || PyList_Append(c->skipped, t) < 0)
		keep_exception(c);
	Py_XDECREF(t);
	PyGILState_Release(g);
}

static void corpus_failed(void *ctx, const struct sr_error *err)
{
	struct conv_ctx *c = ctx;
	PyGILState_STATE g = PyGILState_Ensure();
	PyObject *t, *v, *tb;

	sr_py_raise(err);
	PyErr_Fetch(&t, &v, &tb);
	PyErr_NormalizeException(&t, &v, &tb);
	if (v && PyList_Append(c->failures, v) < 0)
		keep_exception(c);
	Py_XDECREF(t);
	Py_XDECREF(v);
	Py_XDECREF(tb);
	PyGILState_Release(g);
}

/* The pending exception (an sr_error raised by sr_py_raise) onto the
 * failures list, cleared. */
static int add_failure(struct conv_ctx *c, const struct sr_error *err)
{
	PyObject *t, *v, *tb;
	int r;

	sr_py_raise(err);
	PyErr_Fetch(&t, &v, &tb);
	PyErr_NormalizeException(&t, &v, &tb);
	r = v ? PyList_Append(c->failures, v) : -1;
	Py_XDECREF(t);
	Py_XDECREF(v);
	Py_XDECREF(tb);
	return r;
}

static PyObject *counts_dict(const struct sr_counts *k)
{
	PyObject *kinds = PyDict_New(), *d;

	if (!kinds)
		return NULL;
	for (int i = 1; i < SR_E__COUNT; i++) {
		PyObject *v = PyLong_FromUnsignedLongLong(k->by_kind[i]);

		if (!v || PyDict_SetItemString(kinds, sr_ekind_name(i), v) < 0) {
			Py_XDECREF(v);
			Py_DECREF(kinds);
			return NULL;
		}
		Py_DECREF(v);
	}
	d = Py_BuildValue("{sKsKsKsKsKsKsKsN}", "lines", (unsigned long long)k->lines,
			  "events", (unsigned long long)k->events,
			  "unparsed", (unsigned long long)k->unparsed,
			  "verbatim", (unsigned long long)k->verbatim,
			  "attached", (unsigned long long)k->attached,
			  "bytes_in", (unsigned long long)k->bytes_in,
			  "bytes_out", (unsigned long long)k->bytes_out, "kinds", kinds);
	return d;
}

/* Options dict -> sr_opt array; the strings live in keep. */
static int make_opts(PyObject *options, PyObject *keep, struct sr_opt **v, size_t *n)
{
	PyObject *key, *val;
	Py_ssize_t pos = 0;
	size_t i = 0;

	*v = NULL;
	*n = 0;
	if (!options || options == Py_None)
		return 0;
	if (!PyDict_Check(options)) {
		PyErr_SetString(PyExc_TypeError, "options must be a dict");
		return -1;
	}
	/* one spare for seq's dir= */
	*v = calloc((size_t)PyDict_Size(options) + 1, sizeof(**v));
	if (!*v) {
		PyErr_NoMemory();
		return -1;
	}
	while (PyDict_Next(options, &pos, &key, &val)) {
		PyObject *s = val == Py_None ? PyUnicode_FromString("") :
			      PyBool_Check(val) ? PyUnicode_FromString(val == Py_True ? "" : "0") :
						  PyObject_Str(val);

		if (!s || PyList_Append(keep, s) < 0) {
			Py_XDECREF(s);
			return -1;
		}
		Py_DECREF(s);
		(*v)[i].key = PyUnicode_AsUTF8(key);
		(*v)[i].value = PyUnicode_AsUTF8(s);
		if (!(*v)[i].key || !(*v)[i].value)
			return -1;
		i++;
	}
	*n = i;
	return 0;
}

static bool has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && !strcmp(s + n - m, suf);
}

PyObject *sr_py_convert(PyObject *self, PyObject *args, PyObject *kw)
{
	static char *kwlist[] = { "srcs", "dst", "to", "format", "strict", "keep_going", "zstd",
				  "threads", "options", "filters", "merge", "recursive", "jobs",
				  "chunk", "progress", NULL };
	PyObject *srcs, *dst = Py_None, *options = NULL, *filters = NULL, *progress = NULL;
	PyObject *keep = NULL, *result = NULL, *out_bytes = NULL, *failures = NULL;
	const char *to = NULL, *format = NULL;
	int strict = 0, keep_going = 0, zlevel = 0, threads = 0, merge = 0, recursive = 0, jobs = 1;
	Py_ssize_t chunk = 0;
	struct conv_ctx ctx = { 0 };
	struct sr_convert_opts opts = { 0 };
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_opt *optv = NULL;
	struct sr_opts fmt = { 0 };
	struct sr_py_buf mem = { 0 };
	struct sr_py_stream fs;   /* only its filter is used */
	const struct sr_writer_class *wc = NULL;
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	const char **paths = NULL;
	const char *dpath = NULL;
	Py_ssize_t n = 0;
	enum sr_status st = SR_OK;
	bool kept;

	(void)self;
	memset(&fs, 0, sizeof(fs));
	if (!PyArg_ParseTupleAndKeywords(args, kw, "O!|OzzppiiOOppinO", kwlist, &PyList_Type, &srcs,
					 &dst, &to, &format, &strict, &keep_going, &zlevel, &threads,
					 &options, &filters, &merge, &recursive, &jobs, &chunk,
					 &progress))
		return NULL;
	keep = PyList_New(0);
	failures = PyList_New(0);
	if (!keep || !failures)
		goto out;
	ctx.failures = failures;
	n = PyList_GET_SIZE(srcs);
	paths = calloc((size_t)n + 1, sizeof(*paths));
	if (!paths) {
		PyErr_NoMemory();
		goto out;
	}
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *b = NULL;

		if (!PyUnicode_FSConverter(PyList_GET_ITEM(srcs, i), &b))
			goto out;
		if (PyList_Append(keep, b) < 0) {
			Py_DECREF(b);
			goto out;
		}
		Py_DECREF(b);
		paths[i] = PyBytes_AS_STRING(b);
	}
	if (dst != Py_None && (PyUnicode_Check(dst) || PyBytes_Check(dst) ||
			       PyObject_HasAttrString(dst, "__fspath__"))) {
		PyObject *b = NULL;

		if (!PyUnicode_FSConverter(dst, &b))
			goto out;
		if (PyList_Append(keep, b) < 0) {
			Py_DECREF(b);
			goto out;
		}
		Py_DECREF(b);
		dpath = PyBytes_AS_STRING(b);
	} else if (dst != Py_None) {
		if (!PyObject_HasAttrString(dst, "write")) {
			PyErr_SetString(PyExc_TypeError, "dst must be a path, a binary file object or None");
			goto out;
		}
		ctx.file = dst;
	}

	/* the reader, the writer: -f, -t, else OUT's extension, else jsonl */
	if (format && !(opts.reader = sr_reader_find(format))) {
		sr_py_usage("unknown input format '%s'", format);
		goto out;
	}
	if (to) {
		wc = sr_writer_find(to);
		if (!wc)
			wc = sr_view_find(to);
		if (!wc) {
			sr_py_usage("unknown output format '%s'", to);
			goto out;
		}
	} else {
		wc = dpath ? sr_writer_for_path(dpath) : NULL;
		if (!wc)
			wc = sr_writer_find("jsonl");
	}
	if (make_opts(options, keep, &optv, &fmt.n) < 0)
		goto out;
	fmt.v = optv;
	opts.fmt = &fmt;
	opts.strict = strict;
	opts.keep_going = keep_going;
	opts.jobs = jobs;
	opts.chunk = (size_t)chunk;
	/* the filters, parsed as for read() */
	fs.memfd = -1;
	if (sr_py_filters(&fs, filters) < 0)
		goto out;
	opts.filter = fs.filter;
	if (progress && progress != Py_None) {
		if (!PyCallable_Check(progress)) {
			PyErr_SetString(PyExc_TypeError, "progress must be callable");
			goto out;
		}
		ctx.progress = progress;
		opts.observe = observe;
		opts.observe_ctx = &ctx;
	}

	if (recursive) {
		struct sr_corpus_opts co = { 0 };
		struct sr_corpus_result res = { 0 };
		PyObject *skipped = PyList_New(0);

		if (!skipped)
			goto out;
		if (n != 1 || !dpath) {
			Py_DECREF(skipped);
			sr_py_usage("recursive: one input directory and an output directory");
			goto out;
		}
		ctx.skipped = skipped;
		co.indir = paths[0];
		co.outdir = dpath;
		co.wc = wc;
		co.jobs = jobs;
		opts.jobs = 0;
		co.conv = &opts;
		co.merge = merge;
		co.zstd_level = zlevel;
		co.failed = corpus_failed;
		co.skipped = corpus_skipped;
		co.ctx = &ctx;
		Py_BEGIN_ALLOW_THREADS
		st = sr_corpus_run(&co, &res, &err);
		Py_END_ALLOW_THREADS
		if (ctx.exc_type || st < 0) {
			Py_DECREF(skipped);
			if (!ctx.exc_type)
				sr_py_raise(&err);
			goto out;
		}
		result = counts_dict(&res.counts);
		if (result) {
			PyObject *v = Py_BuildValue("{sKsKsKsKsO}", "files", (unsigned long long)res.files,
						    "inputs", (unsigned long long)res.inputs,
						    "failed", (unsigned long long)res.failures,
						    "skipped", (unsigned long long)res.skipped,
						    "skipped_files", skipped);

			if (!v || PyDict_Update(result, v) < 0 ||
			    PyDict_SetItemString(result, "failures", failures) < 0)
				Py_CLEAR(result);
			Py_XDECREF(v);
		}
		Py_DECREF(skipped);
		if (result && strict && res.counts.unparsed) {
			Py_CLEAR(result);
			sr_py_raise(&(struct sr_error){ .code = SR_ERR_PARSE,
							.msg = "cannot parse every line (strict)" });
		} else if (result && strict && res.skipped) {
			/* as the CLI's --strict: no file passed over either */
			Py_CLEAR(result);
			sr_py_raise(&(struct sr_error){ .code = SR_ERR_PARSE,
							.msg = "files skipped as not traces (strict)" });
		}
		goto out;
	}

	/* seq's adfa layout writes a directory: dst is its dir= option */
	if (!strcmp(wc->name, "seq") && !strcmp(sr_opts_get(&fmt, "layout", ""), "adfa")) {
		if (!dpath) {
			sr_py_usage("layout adfa writes files: dst must be a directory");
			goto out;
		}
		optv[fmt.n++] = (struct sr_opt){ "dir", dpath };
		dpath = "/dev/null";
	}
	if (dpath)
		st = sr_sink_open(&sink, dpath, &err);
	else if (ctx.file)
		st = sr_sink_open_fn(&sink, "<file object>", to_file, &ctx, &err);
	else
		st = sr_sink_open_fn(&sink, "<memory>", sr_py_buf_take, &mem, &err);
	if (st < 0) {
		sink = NULL;
		sr_py_raise(&err);
		goto out;
	}
	if (dpath && has_suffix(dpath, ".zst") && !zlevel)
		zlevel = DEFAULT_ZSTD_LEVEL;
	if ((zlevel || threads) &&
	    sr_sink_set_zstd(sink, zlevel ? zlevel : DEFAULT_ZSTD_LEVEL, threads, &err) < 0) {
		sr_py_raise(&err);
		goto out;
	}
	Py_BEGIN_ALLOW_THREADS
	st = sr_conv_open(&conv, &opts, wc, sink, &err);
	if (st >= 0 && merge)
		st = sr_conv_merge(conv, paths, (size_t)n, NULL, &err);
	Py_END_ALLOW_THREADS
	for (Py_ssize_t i = 0; st >= 0 && !merge && i < n; i++) {
		Py_BEGIN_ALLOW_THREADS
		st = sr_conv_input(conv, NULL, paths[i], NULL, &err);
		Py_END_ALLOW_THREADS
		if (ctx.exc_type)
			break;
		if (st < 0 && keep_going && st != SR_ERR_NOMEM && !strcmp(err.file, paths[i])) {
			if (add_failure(&ctx, &err) < 0)
				goto out;
			memset(&err, 0, sizeof(err));
			st = SR_OK;
		}
	}
	if (st >= 0 && !ctx.exc_type) {
		Py_BEGIN_ALLOW_THREADS
		st = sr_conv_finish(conv, &err);
		Py_END_ALLOW_THREADS
	}
	kept = conv && sr_conv_complete(conv) && !ctx.exc_type;
	if (conv)
		result = counts_dict(sr_conv_totals(conv));
	sr_conv_close(conv);
	conv = NULL;
	if (!kept) {
		sr_sink_abort(sink);
		sink = NULL;
		Py_CLEAR(result);
		if (!ctx.exc_type)
			sr_py_raise(&err);
		goto out;
	}
	/* the writer's open() may write too (a CSV header), which the run's
	 * totals do not see: the sink counts every byte, before zstd */
	if (result) {
		PyObject *v = PyLong_FromUnsignedLongLong(sr_sink_bytes(sink));

		if (!v || PyDict_SetItemString(result, "bytes_out", v) < 0)
			Py_CLEAR(result);
		Py_XDECREF(v);
	}
	if (sr_sink_close(sink, &cerr) < 0) {
		sink = NULL;
		Py_CLEAR(result);
		if (!ctx.exc_type)
			sr_py_raise(&cerr);
		goto out;
	}
	sink = NULL;
	if (!result)
		goto out;
	if (st < 0) { /* strict: the output is whole, the error stands */
		Py_CLEAR(result);
		sr_py_raise(&err);
		goto out;
	}
	if (PyDict_SetItemString(result, "failures", failures) < 0)
		Py_CLEAR(result);
	if (result && !dpath && !ctx.file) {
		out_bytes = PyBytes_FromStringAndSize(mem.p ? mem.p : "", (Py_ssize_t)mem.len);
		if (!out_bytes || PyDict_SetItemString(result, "output", out_bytes) < 0)
			Py_CLEAR(result);
	}
out:
	if (conv)
		sr_conv_close(conv);
	if (sink)
		sr_sink_abort(sink);
	if (ctx.exc_type) {
		Py_CLEAR(result);
		PyErr_Restore(ctx.exc_type, ctx.exc_value, ctx.exc_tb);
	}
	sr_filter_free(fs.filter);
	sr_py_buf_free(&mem);
	free(optv);
	free(paths);
	Py_XDECREF(out_bytes);
	Py_XDECREF(failures);
	Py_XDECREF(keep);
	return result;
}
