/*
 * sr_py.h - the parts of the _sysrep extension module shared by its files.
 * The module is a client of include/sysrep.h alone.
 */
#ifndef SR_PY_H
#define SR_PY_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "sysrep.h"

/* The exception classes (module state would be cleaner, but one
 * interpreter is all Debian's python3 runs us in). */
extern PyObject *sr_py_Error, *sr_py_ParseError, *sr_py_FormatError, *sr_py_UsageError,
	*sr_py_FileError;

/* Raises the sysrep.Error subclass for err->code with file, line, column
 * and code set; returns NULL for "return sr_py_raise(&err);". */
PyObject *sr_py_raise(const struct sr_error *err);
/* Raises sysrep.UsageError with a message; returns NULL. */
PyObject *sr_py_usage(const char *fmt, ...);

/*
 * An input read batch by batch, the way the pipeline reads it: source
 * (any path, compressed or not, or a Python file object), reader (named
 * or detected), syscall numbers from the arch table, the filters.
 */
struct sr_py_stream {
	char name[4096];           /* the input's name in errors */
	int memfd;                 /* owned: a file object's bytes, -1 when none */
	struct sr_intern *atoms;   /* owned */
	struct sr_batch b;         /* owned */
	struct sr_source *src;     /* owned */
	const struct sr_reader_class *rc;
	struct sr_reader *r;       /* owned */
	struct sr_opt optv[16];
	struct sr_opts opts;
	PyObject *keep;            /* owned: the option strings' owners */
	enum sr_arch arch;
	int32_t *nr_of;            /* owned: syscall number by atom id, -2 unknown */
	size_t nr_cap;
	struct sr_filter *filter;  /* owned; NULL: none */
	PyObject *progress;        /* owned; NULL: none */
	uint64_t events;           /* events handed out so far */
	bool done;
};

/*
 * Opens the stream.  src: str, bytes, os.PathLike or a binary file object;
 * format: a reader name or NULL (detected); arch: a name or NULL (x86_64);
 * filters: a dict of trace=, pid=, failed=, successful=, since=, until= or NULL;
 * options: a dict of -O KEY=VALUE or NULL; progress: a callable or NULL.
 * 0 ok, -1 with a Python exception set (and the stream closed).
 */
int sr_py_stream_open(struct sr_py_stream *s, PyObject *src, const char *format, const char *arch,
		      PyObject *filters, PyObject *options, PyObject *progress);
/* Sets s->filter from a filters dict (see sr_py_stream_open); 0, or -1
 * with an exception set. */
int sr_py_filters(struct sr_py_stream *s, PyObject *filters);
/* Fills s->b with the next events (possibly none): 1, 0 at the end, -1 with
 * an exception set.  The GIL is released while the reader parses. */
int sr_py_stream_next(struct sr_py_stream *s);
void sr_py_stream_close(struct sr_py_stream *s); /* idempotent */

/* A growable in-memory byte buffer, the target of a callback sink. */
struct sr_py_buf {
	char *p;       /* owned */
	size_t len, cap, pos; /* pos: consumed so far */
};
int sr_py_buf_take(void *ctx, const void *p, size_t n); /* an sr_sink_fn */
void sr_py_buf_free(struct sr_py_buf *b);

/* The JSON Lines writer on a callback sink into a buffer. */
struct sr_py_jsonl {
	struct sr_py_buf buf;
	struct sr_sink *sink;           /* owned */
	const struct sr_writer_class *wc;
	struct sr_writer *w;            /* owned */
};
int sr_py_jsonl_open(struct sr_py_jsonl *j, const char *name, const struct sr_opts *opts);
/* Writes the batch's records into j->buf; -1 with an exception set. */
int sr_py_jsonl_write(struct sr_py_jsonl *j, const struct sr_batch *b);
int sr_py_jsonl_finish(struct sr_py_jsonl *j);
void sr_py_jsonl_close(struct sr_py_jsonl *j);

/* The functions and types of each file. */
extern PyTypeObject sr_py_RecordsType;
PyObject *sr_py_frame_arrays(PyObject *self, PyObject *args, PyObject *kw);
PyObject *sr_py_sequences(PyObject *self, PyObject *args, PyObject *kw);
PyObject *sr_py_convert(PyObject *self, PyObject *args, PyObject *kw);

#endif /* SR_PY_H */
