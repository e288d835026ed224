/*
 * convert.c - the conversion pipeline (see sysrep.h).
 *
 * One batch serves the whole run: the reader resets it on every next(), so
 * memory stays bounded by the largest batch, whatever the input size.  The
 * interning table is per run, not per input, so atoms stay comparable across
 * the inputs of one output.
 */
#include "sysrep.h"
#include "strace_par.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Enough for every probe: a trace's first line, or a binary magic. */
#define DETECT_BYTES 4096
#define FALLBACK_READER "strace"

/* The number looked up for an atom; atom NULL: not looked up yet. */
struct nr_memo {
	const struct sr_atom *atom; /* borrowed: the key, checked, in case a
				     * reader interns into a table of its own */
	int32_t nr;
};

struct sr_conv {
	struct sr_convert_opts opts;
	const struct sr_writer_class *wc;      /* borrowed; NULL: count only */
	struct sr_writer *w;		       /* owned */
	struct sr_sink *out;		       /* borrowed */
	struct sr_intern *atoms;	       /* owned */
	struct sr_batch batch;		       /* owned, reused by every input */
	const struct sr_reader_class *last_rc; /* borrowed */
	struct sr_counts total;
	struct sr_unparsed_at first;
	enum sr_arch arch;     /* the syscall table for numbers: format option "arch" */
	struct nr_memo *nr_of; /* owned: syscall numbers by atom id */
	size_t nr_cap;
	struct sr_opts fmt;   /* the caller's options, + SR_OPT_KEEP_GOING */
	struct sr_opt *fmt_v; /* owned: fmt's array */
	bool failed;   /* an input stopped on an error */
	bool finished; /* sr_conv_finish was called */
	bool complete; /* ... and the writer finished */
};

static uint64_t sink_bytes(const struct sr_conv *c)
{
	return c->out ? sr_sink_bytes(c->out) : 0;
}

void sr_counts_sum(struct sr_counts *dst, const struct sr_counts *src)
{
	dst->lines += src->lines;
	dst->events += src->events;
	dst->unparsed += src->unparsed;
	dst->verbatim += src->verbatim;
	dst->attached += src->attached;
	for (size_t k = 0; k < SR_E__COUNT; k++)
		dst->by_kind[k] += src->by_kind[k];
	dst->bytes_in += src->bytes_in;
	dst->bytes_out += src->bytes_out;
	dst->cut_lines += src->cut_lines;
	dst->cut_bytes += src->cut_bytes;
}

const struct sr_optdesc sr_conv_opt_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ NULL, NULL },
};

enum sr_status sr_conv_open(struct sr_conv **cp, const struct sr_convert_opts *opts,
			    const struct sr_writer_class *wc, struct sr_sink *out,
			    struct sr_error *err)
{
	enum sr_status st;
	struct sr_conv *c;

	*cp = NULL;
	if (wc && !out)
		return sr_error_set(err, SR_ERR_USAGE, "cannot convert: no output");
	c = calloc(1, sizeof(*c));
	if (!c)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start conversion: out of memory");
	if (opts)
		c->opts = *opts;
	c->wc = wc;
	c->out = wc ? out : NULL;
	/* the readers learn of --keep-going through their options */
	if (c->opts.keep_going) {
		size_t n = c->opts.fmt ? c->opts.fmt->n : 0;

		c->fmt_v = calloc(n + 1, sizeof(*c->fmt_v));
		if (!c->fmt_v) {
			free(c);
			return sr_error_set(err, SR_ERR_NOMEM,
					    "cannot start conversion: out of memory");
		}
		if (n)
			memcpy(c->fmt_v, c->opts.fmt->v, n * sizeof(*c->fmt_v));
		c->fmt_v[n] = (struct sr_opt){ SR_OPT_KEEP_GOING, "" };
		c->fmt = (struct sr_opts){ c->fmt_v, n + 1 };
		c->opts.fmt = &c->fmt;
	}
	c->arch = sr_arch_parse(sr_opts_get(c->opts.fmt, "arch", sr_arch_name(SR_ARCH_DEFAULT)));
	if (c->arch == SR_ARCH_UNKNOWN) {
		st = sr_error_set(err, SR_ERR_USAGE,
				  "unknown architecture '%s' (x86_64, i386 or aarch64)",
				  sr_opts_get(c->opts.fmt, "arch", ""));
		goto fail;
	}
	c->atoms = sr_intern_new();
	if (!c->atoms) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot start conversion: out of memory");
		goto fail;
	}
	st = sr_batch_init(&c->batch, c->atoms);
	if (st < 0) {
		st = sr_error_set(err, st, "cannot start conversion: %s", sr_status_str(st));
		goto fail;
	}
	if (wc) {
		st = wc->open(&c->w, out, c->opts.fmt, err);
		if (st < 0) {
			c->w = NULL;
			/* a bad option is the command line's fault, not the
			 * output's; a writer that names its own file keeps it */
			if (st != SR_ERR_USAGE && !err->file[0])
				sr_error_file(err, sr_sink_name(out));
			goto fail;
		}
	}
	*cp = c;
	return SR_OK;
fail:
	sr_conv_close(c);
	return st;
}

/* The reader for one input: the caller's, else the probe winner, else strace. */
static enum sr_status pick_reader(struct sr_conv *c, const struct sr_reader_class *rc,
				  struct sr_source *src, const struct sr_reader_class **out,
				  struct sr_error *err)
{
	unsigned char head[DETECT_BYTES];
	struct sr_error perr = { 0 };
	size_t n;

	if (!rc)
		rc = c->opts.reader;
	if (!rc) {
		n = sr_source_peek(src, head, sizeof(head), &perr);
		if (perr.code < 0) {
			if (err)
				*err = perr;
			return perr.code;
		}
		rc = sr_reader_detect(head, n);
	}
	if (!rc)
		rc = sr_reader_find(FALLBACK_READER);
	if (!rc)
		return sr_error_set(err, SR_ERR_FORMAT, "cannot detect the input format");
	*out = rc;
	return SR_OK;
}

/* Remembers the run's first UNPARSED event; cheap: only scans a batch that
 * has one, and only until the first is found. */
static void note_unparsed(struct sr_conv *c, const struct sr_batch *b, const char *name)
{
	if (c->first.line)
		return;
	for (size_t i = 0; i < b->n; i++) {
		if (b->ev[i].kind != SR_E_UNPARSED)
			continue;
		snprintf(c->first.file, sizeof(c->first.file), "%s", name);
		c->first.line = b->ev[i].line ? b->ev[i].line : 1;
		return;
	}
}

/*
 * strace prints a call's number only with -n, yet sequence models (the seq
 * writer) and other consumers of ev->nr want it always: a SYSCALL or
 * UNFINISHED event without one gets it here from the --arch table, by name,
 * before any writer sees the batch.  Names are interned, so the lookup is
 * memoized by atom id: one binary search per distinct name per run.  A name
 * the table lacks keeps nr -1: only a writer that needs numbers complains.
 */
static enum sr_status fill_numbers(struct sr_conv *c, struct sr_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		struct sr_event *ev = &b->ev[i];
		uint32_t id;

		if ((ev->kind != SR_E_SYSCALL && ev->kind != SR_E_UNFINISHED) || ev->nr >= 0 ||
		    !ev->name)
			continue;
		id = ev->name->id;
		if (id >= c->nr_cap) {
			size_t cap = c->nr_cap ? c->nr_cap : 256;
			struct nr_memo *p;

			while (cap <= id)
				cap *= 2;
			p = realloc(c->nr_of, cap * sizeof(*p));
			if (!p)
				return SR_ERR_NOMEM;
			memset(p + c->nr_cap, 0, (cap - c->nr_cap) * sizeof(*p));
			c->nr_of = p;
			c->nr_cap = cap;
		}
		if (c->nr_of[id].atom != ev->name) {
			c->nr_of[id].atom = ev->name;
			c->nr_of[id].nr = sr_syscall_nr(c->arch, ev->name->str, ev->name->len);
		}
		ev->nr = c->nr_of[id].nr;
	}
	return SR_OK;
}

/* One batch read from src: numbered, counted (before filtering: the counts
 * describe the input), filtered, observed, written. */
static enum sr_status take_batch(struct sr_conv *c, struct sr_batch *b, struct sr_source *src,
				 struct sr_counts *cnt, struct sr_error *err)
{
	const char *name = sr_source_name(src);
	uint64_t unparsed = cnt->unparsed;
	enum sr_status st;

	if (fill_numbers(c, b) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot number syscalls: out of memory");
	if (!b->n && !b->lines)
		return SR_OK;
	sr_counts_add(cnt, b);
	if (cnt->unparsed != unparsed)
		note_unparsed(c, b, name);
	if (c->opts.filter)
		sr_filter_batch(c->opts.filter, b);
	if (c->opts.observe) {
		st = c->opts.observe(c->opts.observe_ctx, b, sr_source_bytes(src), err);
		if (st < 0)
			return st;
	}
	if (c->w && b->n) {
		st = c->wc->write(c->w, b, err);
		if (st < 0) {
			sr_error_file(err, sr_sink_name(c->out));
			return st;
		}
		if (c->opts.flush) {
			st = sr_sink_flush(c->out, err);
			if (st < 0)
				return st;
		}
	}
	return SR_OK;
}

/* Reads src to its end through r, writing every batch. */
static enum sr_status pump(struct sr_conv *c, const struct sr_reader_class *rc, struct sr_reader *r,
			   struct sr_source *src, struct sr_counts *cnt, struct sr_error *err)
{
	struct sr_batch *b = &c->batch;
	const char *name = sr_source_name(src);
	enum sr_status st, ts;

	for (;;) {
		b->source = name;
		st = rc->next(r, b, err);
		if (st < 0) {
			/* a reader that fails leaves in b the whole events it
			 * decoded before the error: they are written, so that
			 * nothing read is dropped (--keep-going keeps them) */
			if (st != SR_ERR_NOMEM && b->n) {
				struct sr_error terr = { 0 };

				if (take_batch(c, b, src, cnt, &terr) < 0) {
					if (err)
						*err = terr;
					return terr.code;
				}
			}
			sr_error_file(err, name);
			return st;
		}
		ts = take_batch(c, b, src, cnt, err);
		if (ts < 0)
			return ts;
		if (st == SR_END)
			return SR_OK;
	}
}

/* The parallel strace reader hands its batches over here. */
struct par_ctx {
	struct sr_conv *c;
	struct sr_source *src;
	struct sr_counts *cnt;
};

static enum sr_status par_emit(void *ctx, struct sr_batch *b, struct sr_error *err)
{
	struct par_ctx *p = ctx;

	return take_batch(p->c, b, p->src, p->cnt, err);
}

/* Reads src to its end; closes it when own.  src NULL: its open failed
 * with open_st (err says why), which is accounted for as a failed input. */
static enum sr_status conv_source(struct sr_conv *c, const struct sr_reader_class *rc,
				  struct sr_source *src, enum sr_status open_st, bool own,
				  struct sr_counts *counts, struct sr_error *err);

enum sr_status sr_conv_input(struct sr_conv *c, const struct sr_reader_class *rc, const char *path,
			     struct sr_counts *counts, struct sr_error *err)
{
	struct sr_source *src = NULL;
	enum sr_status st;

	assert(!c->finished);
	st = sr_source_open(&src, path, err);
	if (st < 0)
		sr_error_file(err, path);
	return conv_source(c, rc, st < 0 ? NULL : src, st, true, counts, err);
}


enum sr_status sr_conv_source(struct sr_conv *c, const struct sr_reader_class *rc,
			      struct sr_source *src, struct sr_counts *counts,
			      struct sr_error *err)
{
	assert(!c->finished);
	return conv_source(c, rc, src, SR_OK, false, counts, err);
}

static enum sr_status conv_source(struct sr_conv *c, const struct sr_reader_class *rc,
				  struct sr_source *src, enum sr_status open_st, bool own,
				  struct sr_counts *counts, struct sr_error *err)
{
	struct sr_counts cnt = { 0 };
	struct sr_reader *r = NULL;
	uint64_t out0 = sink_bytes(c);
	enum sr_status st = open_st;

	if (!src)
		goto out; /* the open failed: err says why */
	st = pick_reader(c, rc, src, &rc, err);
	if (st < 0) {
		sr_error_file(err, sr_source_name(src));
		goto out;
	}
	c->last_rc = rc;
	/* a piece is read by the reader itself (it seeks); so is a file read
	 * with verify=all, a check of the reader rather than a conversion */
	if (c->opts.jobs > 1 && !c->opts.flush && !strcmp(rc->name, "strace") &&
	    !sr_opts_get(c->opts.fmt, "piece", NULL) && !sr_opts_get(c->opts.fmt, "verify", NULL)) {
		struct par_ctx pc = { c, src, &cnt };

		st = sr_source_limit_lines(src, c->opts.fmt, err);
		if (st < 0)
			goto out;
		st = sr_strace_par_run(src, c->atoms, c->opts.jobs, c->opts.chunk, par_emit, &pc,
				       err);
		if (st < 0)
			sr_error_file(err, sr_source_name(src));
		goto out;
	}
	st = rc->open(&r, src, c->opts.fmt, err);
	if (st < 0) {
		r = NULL;
		sr_error_file(err, sr_source_name(src));
		goto out;
	}
	st = pump(c, rc, r, src, &cnt, err);
out:
	if (r)
		rc->close(r);
	cnt.bytes_in = src ? sr_source_bytes(src) : 0;
	sr_source_cut(src, &cnt.cut_lines, &cnt.cut_bytes);
	cnt.bytes_out = sink_bytes(c) - out0;
	if (own)
		sr_source_close(src);
	sr_batch_reset(&c->batch);
	sr_counts_sum(&c->total, &cnt);
	if (counts)
		*counts = cnt;
	if (st < 0)
		c->failed = true;
	return st < 0 ? st : SR_OK;
}

enum sr_status sr_conv_finish(struct sr_conv *c, struct sr_error *err)
{
	uint64_t out0 = sink_bytes(c);
	enum sr_status st = SR_OK;

	assert(!c->finished);
	c->finished = true;
	if (c->w) {
		st = c->wc->finish(c->w, err);
		c->total.bytes_out += sink_bytes(c) - out0;
		if (st < 0) {
			sr_error_file(err, sr_sink_name(c->out));
			return st;
		}
	}
	c->complete = !c->failed || c->opts.keep_going;
	if (c->opts.strict && c->total.unparsed) {
		st = sr_error_set(err, SR_ERR_PARSE,
				  "cannot parse every line (--strict): "
				  "%llu unparsed line%s, the first at line %llu",
				  (unsigned long long)c->total.unparsed,
				  c->total.unparsed == 1 ? "" : "s",
				  (unsigned long long)c->first.line);
		sr_error_file(err, c->first.file);
		if (err)
			err->line = c->first.line;
	}
	return st;
}

bool sr_conv_complete(const struct sr_conv *c)
{
	return c->complete;
}

const struct sr_counts *sr_conv_totals(const struct sr_conv *c)
{
	return &c->total;
}

const struct sr_unparsed_at *sr_conv_first_unparsed(const struct sr_conv *c)
{
	return &c->first;
}

const struct sr_reader_class *sr_conv_reader(const struct sr_conv *c)
{
	return c->last_rc;
}

void sr_conv_close(struct sr_conv *c)
{
	if (!c)
		return;
	if (c->w)
		c->wc->close(c->w);
	sr_batch_free(&c->batch);
	sr_intern_free(c->atoms);
	free(c->fmt_v);
	free(c->nr_of);
	free(c);
}

enum sr_status sr_convert(const struct sr_convert_opts *opts, const char *const *paths, size_t n,
			  const struct sr_writer_class *wc, struct sr_sink *out,
			  struct sr_counts *counts, struct sr_error *err)
{
	struct sr_conv *c;
	enum sr_status st;

	st = sr_conv_open(&c, opts, wc, out, err);
	if (st < 0)
		return st;
	for (size_t i = 0; i < n && st >= 0; i++)
		st = sr_conv_input(c, NULL, paths[i], NULL, err);
	if (st >= 0)
		st = sr_conv_finish(c, err);
	if (counts)
		*counts = c->total;
	sr_conv_close(c);
	return st;
}

enum sr_status sr_stats(const struct sr_reader_class *rc, const char *path,
			struct sr_counts *counts, struct sr_error *err)
{
	const struct sr_convert_opts opts = { .reader = rc };

	return sr_convert(&opts, &path, 1, NULL, NULL, counts, err);
}

/* ------------------------------------------------------------------ */
/* Merging the per-pid files of strace -ff by time                     */

struct merge_in {
	struct sr_source *src;             /* owned */
	const struct sr_reader_class *rc;  /* borrowed */
	struct sr_reader *r;               /* owned */
	struct sr_batch b;                 /* owned: its current batch */
	size_t i;                          /* next event of b */
	int64_t t;                         /* time of the last timed event, ns */
	bool end;
};

static int64_t event_ns(const struct sr_event *ev, int64_t last)
{
	const struct sr_time *t = &ev->lead.time;

	if (t->clock != SR_CLOCK_TOD && t->clock != SR_CLOCK_EPOCH)
		return last; /* untimed: stays with the events around it */
	return t->sec * 1000000000 + t->nsec;
}

/* The next batch of m with events, or m->end; lines go to out. */
static enum sr_status merge_fetch(struct sr_conv *c, struct merge_in *m, struct sr_batch *out,
				  struct sr_error *err)
{
	enum sr_status st;

	m->i = 0;
	do {
		st = m->rc->next(m->r, &m->b, err);
		if (st < 0) {
			sr_error_file(err, sr_source_name(m->src));
			return st;
		}
		out->lines += m->b.lines;
		if (fill_numbers(c, &m->b) < 0)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot number syscalls: out of memory");
	} while (!m->b.n && st != SR_END);
	m->end = !m->b.n;
	return SR_OK;
}

/* The inputs with events left, as a binary min-heap on (time of the next
 * event, input number): the number breaks ties, so equal times keep the
 * order of the inputs, as a scan from the first input would. */
struct merge_heap {
	size_t *k;   /* owned: input numbers */
	int64_t *t;  /* owned: t[i] is the key of k[i] */
	size_t n;
};

static bool heap_less(const struct merge_heap *h, size_t a, size_t b)
{
	return h->t[a] < h->t[b] || (h->t[a] == h->t[b] && h->k[a] < h->k[b]);
}

static void heap_swap(struct merge_heap *h, size_t a, size_t b)
{
	size_t k = h->k[a];
	int64_t t = h->t[a];

	h->k[a] = h->k[b];
	h->t[a] = h->t[b];
	h->k[b] = k;
	h->t[b] = t;
}

static void heap_down(struct merge_heap *h, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;

		if (l < h->n && heap_less(h, l, m))
			m = l;
		if (l + 1 < h->n && heap_less(h, l + 1, m))
			m = l + 1;
		if (m == i)
			return;
		heap_swap(h, i, m);
		i = m;
	}
}

static void heap_push(struct merge_heap *h, const struct merge_in *m, size_t k)
{
	size_t i = h->n++;

	h->k[i] = k;
	h->t[i] = event_ns(&m[k].b.ev[m[k].i], m[k].t);
	while (i && heap_less(h, i, (i - 1) / 2)) {
		heap_swap(h, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

/* The top input gave its event: re-key it, or drop it at its end. */
static void heap_top_changed(struct merge_heap *h, const struct merge_in *m)
{
	const struct merge_in *top = &m[h->k[0]];

	if (top->end) {
		heap_swap(h, 0, --h->n);
	} else {
		h->t[0] = event_ns(&top->b.ev[top->i], top->t);
	}
	heap_down(h, 0);
}

enum sr_status sr_conv_merge(struct sr_conv *c, const char *const *paths, size_t n,
			     struct sr_counts *counts, struct sr_error *err)
{
	struct merge_in *m = calloc(n ? n : 1, sizeof(*m));
	struct merge_heap h = { .k = malloc((n ? n : 1) * sizeof(*h.k)),
				.t = malloc((n ? n : 1) * sizeof(*h.t)) };
	struct sr_counts cnt = { 0 };
	struct sr_batch out = { 0 };
	uint64_t out0 = sink_bytes(c);
	enum sr_status st = SR_OK;
	size_t k;

	assert(!c->finished);
	if (!m || !h.k || !h.t || sr_batch_init(&out, c->atoms) < 0) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot merge: out of memory");
		goto out;
	}
	out.source = n ? paths[0] : "-";
	for (k = 0; k < n && st >= 0; k++) {
		st = sr_source_open(&m[k].src, paths[k], err);
		if (st < 0) {
			m[k].src = NULL;
			sr_error_file(err, paths[k]);
			break;
		}
		st = pick_reader(c, NULL, m[k].src, &m[k].rc, err);
		if (st >= 0) {
			c->last_rc = m[k].rc;
			st = m[k].rc->open(&m[k].r, m[k].src, c->opts.fmt, err);
			if (st < 0)
				m[k].r = NULL;
		}
		if (st >= 0 && sr_batch_init(&m[k].b, c->atoms) < 0)
			st = sr_error_set(err, SR_ERR_NOMEM, "cannot merge: out of memory");
		if (st < 0)
			sr_error_file(err, paths[k]);
		else
			st = merge_fetch(c, &m[k], &out, err);
	}
	/* a heap of the inputs by the time of their next event: with
	 * thousands of -ff files a scan per event would be quadratic */
	for (k = 0; k < n && st >= 0; k++)
		if (!m[k].end)
			heap_push(&h, m, k);
	while (st >= 0 && h.n) {
		struct merge_in *best = &m[h.k[0]];
		struct sr_event *ev;

		ev = sr_batch_push(&out);
		if (!ev) {
			st = sr_error_set(err, SR_ERR_NOMEM, "cannot merge: out of memory");
			break;
		}
		*ev = best->b.ev[best->i++];
		/* one output for many tasks: every line names its pid, as
		 * strace -f -o FILE prints it, so the pids survive -t strace */
		if (ev->lead.pid >= 0 && ev->lead.pid_form == SR_PID_NONE)
			ev->lead.pid_form = SR_PID_PLAIN;
		best->t = h.t[0];
		if (best->i == best->b.n) {
			/* out points into best's batch: write it before the next */
			st = take_batch(c, &out, best->src, &cnt, err);
			out.n = 0;
			out.lines = 0;
			if (st >= 0)
				st = merge_fetch(c, best, &out, err);
		}
		if (st >= 0)
			heap_top_changed(&h, m);
	}
	if (st >= 0 && (out.n || out.lines))
		st = take_batch(c, &out, m[0].src, &cnt, err);
out:
	for (k = 0; m && k < n; k++) {
		if (m[k].r)
			m[k].rc->close(m[k].r);
		cnt.bytes_in += m[k].src ? sr_source_bytes(m[k].src) : 0;
		if (m[k].src) {
			uint64_t cl, cb;

			sr_source_cut(m[k].src, &cl, &cb);
			cnt.cut_lines += cl;
			cnt.cut_bytes += cb;
		}
		sr_source_close(m[k].src);
		sr_batch_free(&m[k].b);
	}
	free(m);
	free(h.k);
	free(h.t);
	sr_batch_free(&out);
	cnt.bytes_out = sink_bytes(c) - out0;
	sr_counts_sum(&c->total, &cnt);
	if (counts)
		*counts = cnt;
	if (st < 0)
		c->failed = true;
	return st < 0 ? st : SR_OK;
}
