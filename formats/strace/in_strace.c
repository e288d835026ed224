/*
 * in_strace.c - the strace text reader.
 *
 * Input is read in large chunks; a batch is every complete line of the chunk
 * up to the last line that could still receive attachments (-k frames and
 * -e read=/write= dumps follow their line), so views into the chunk stay
 * valid for the whole batch and nothing is copied per line.  On live input
 * (a pipe from a running strace) that last line is passed on too once the
 * writer pauses for IDLE_MS, so a follower sees each call soon after strace
 * printed it: strace writes a line's attachments right after the line.
 *
 * An "<unfinished ...>" line becomes an UNFINISHED marker event and its text
 * is kept in a per-task table (the only state that outlives a batch: memory
 * is bounded by the calls alive at once, not by the file).  At the matching
 * "<... name resumed>" line the two halves are joined and parsed as one
 * complete call, emitted there as a SYSCALL event with SR_EF_RESUMED; the
 * arguments parsed at the cut are kept with the text, so that mostly only
 * the tail is parsed then.
 *
 * An event whose line holds a spelling the parser noted as one the printer
 * might not give back (enum sr_doubt: odd padding, leading zeros, escapes
 * spelled otherwise...) is printed back with strace_print.c and compared
 * with its input line; on any difference it keeps the line verbatim
 * (SR_EF_VERBATIM), so the round trip to text is exact.  Every other token
 * the printer writes as it was read, so printing those lines back would
 * only cost time (a third of the parse).  The option verify=all prints
 * back every line, as a check of that claim (the fuzzers and tests/e2e.d/
 * verify.sh compare the two).
 */
#include <assert.h>
#include <string.h>

#include "buf.h"
#include "strace_internal.h"
#include "strace_pend.h"

#define CHUNK (1u << 20)
/* A pause on live input this long means no attachment is on its way. */
#define IDLE_MS 50

struct sr_reader {
	struct sr_source *in;      /* borrowed */
	char *buf;                 /* owned: the current chunk */
	size_t len, cap, pos;
	bool eof;
	uint64_t lineno;
	int64_t file_pid;          /* -ff: pid from the file name suffix, or -1 */
	struct sr_stp ps;
	struct sr_buf scratch;     /* printing for verification */
	bool verify_all;           /* option verify=all: print back every line */
	uint64_t batch_gen;        /* counts the batches begun: a cut call's parsed
				    * arguments are borrowed from its batch */
	size_t padcol;             /* resume(): where the padding before "= " starts
				    * in the resumed line */
	struct sr_pend_table pend; /* owned: unfinished calls by pid */
	struct sr_pending *last_cut;  /* borrowed: set when the previous line was cut */
	bool splice_pending;       /* a line cut by a message waits for its rest */
	uint64_t splice_line;
	struct sr_buf splice_pre;  /* owned: the line up to the message */
	struct sr_buf splice_msg;  /* owned: the message */
	bool out_pending;          /* a write's output runs over more lines */
	bool rereading;            /* output_fallback: lines taken for output, read again */
	uint64_t out_line, out_need;
	struct sr_buf out_pre;     /* owned: "write(1, \"...\", N" */
	struct sr_buf out_x;       /* owned: the output seen so far */
	struct sr_buf out_msg;     /* owned: a strace message after the output */
	struct sr_attach *att;     /* owned: attachments of the last event */
	size_t natt, capatt;
	uint64_t next_origin;      /* the last pending->origin handed out */
	bool logging;              /* a parallel worker: record the table's operations */
	bool log_failed;           /* out of memory while recording */
	struct sr_pop *ops;        /* owned: the operations of this chunk, in order */
	size_t nops, capops;
	/* one piece of the file (the "piece" option, strace_piece.c) */
	struct sr_piece_spec *piece; /* owned; NULL: the whole input */
	bool piece_started;        /* the earlier pieces' cut calls are in pend */
	bool piece_done;           /* its end and what comes after are read */
	bool direct;               /* parse_event() on a line as it is (parse_one) */
	bool skip_att;             /* the last line was an earlier piece's: so are
				    * its attachments */
	bool line_skipped;         /* the line just read was skipped */
	const char *piece_bad;     /* why the piece cannot be read as the whole file */
	uint64_t piece_bad_line;
	struct sr_buf ahead;       /* owned: the lines read after the piece's end */
};

/* The origins of an earlier piece's cut calls: never one of this reader's. */
#define PIECE_FOREIGN ((uint64_t)1 << 63)

/* Records one operation on the table of unfinished calls (workers only). */
static void plog(struct sr_reader *r, const struct sr_pop *op)
{
	if (r->nops == r->capops) {
		size_t nc = r->capops ? r->capops * 2 : 256;
		struct sr_pop *n = realloc(r->ops, nc * sizeof(*n));

		if (!n) {
			r->log_failed = true;
			return;
		}
		r->ops = n;
		r->capops = nc;
	}
	r->ops[r->nops++] = *op;
}

/* pid's cut call: its own, or a fresh one numbered by this reader. */
static struct sr_pending *pend_add(struct sr_reader *r, int64_t pid)
{
	struct sr_pending *p = sr_pend_find(&r->pend, pid);

	if (p && (p->origin & PIECE_FOREIGN))
		/* an earlier piece's call, replaced here: ours from now on */
		sr_pend_set_origin(&r->pend, p, ++r->next_origin);
	if (p)
		return p;
	p = sr_pend_add(&r->pend, pid, r->next_origin + 1);
	if (p)
		r->next_origin++;
	return p;
}

static void strace_close(struct sr_reader *r);

static enum sr_status strace_open(struct sr_reader **out, struct sr_source *in,
				  const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	r->in = in;
	r->cap = CHUNK;
	r->buf = malloc(r->cap);
	if (!r->buf) {
		free(r);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	}
	/* a line is at most max_line bytes: the buffer never grows past it */
	if (sr_source_limit_lines(in, opts, err) < 0) {
		free(r->buf);
		free(r);
		return SR_ERR_USAGE;
	}
	r->file_pid = sr_strace_pid_from_name(sr_source_name(in));
	{
		const char *v = sr_opts_get(opts, SR_STRACE_VERIFY_KEY, "flagged");

		if (!strcmp(v, "all")) {
			r->verify_all = true;
		} else if (strcmp(v, "flagged") != 0) {
			free(r->buf);
			free(r);
			return sr_error_set(err, SR_ERR_USAGE,
					    "cannot open reader: verify=%s: want all or flagged", v);
		}
	}
	if (sr_opts_get(opts, "piece", NULL)) {
		enum sr_status st;

		r->piece = calloc(1, sizeof(*r->piece));
		if (!r->piece) {
			strace_close(r);
			return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
		}
		st = sr_piece_spec_parse(r->piece, sr_opts_get(opts, "piece", ""), err);
		if (!st)
			st = sr_source_seek(in, r->piece->start, err);
		if (st) {
			strace_close(r);
			return st;
		}
		r->lineno = r->piece->line - 1;
	}
	*out = r;
	return SR_OK;
}

static void strace_close(struct sr_reader *r)
{
	if (!r)
		return;
	sr_pend_free(&r->pend);
	free(r->ops);
	free(r->att);
	free(r->buf);
	sr_buf_free(&r->scratch);
	sr_buf_free(&r->splice_pre);
	sr_buf_free(&r->splice_msg);
	sr_buf_free(&r->out_pre);
	sr_buf_free(&r->out_x);
	sr_buf_free(&r->out_msg);
	sr_buf_free(&r->ahead);
	if (r->piece)
		sr_piece_spec_free(r->piece);
	free(r->piece);
	sr_stp_free(&r->ps);
	free(r);
}

static bool is_attach_line(const char *p, const char *end)
{
	return end - p > 2 && p[0] == ' ' &&
	       (p[1] == '>' || p[1] == '|' || p[1] == '*' || p[1] == '=') &&
	       p[2] == ' ';
}

/* A new event in b.  The first one of a batch (a new one, or one emptied
 * by its caller) starts a generation: arguments kept from older ones are
 * gone with their arena. */
static struct sr_event *push_event(struct sr_reader *r, struct sr_batch *b)
{
	if (!b->n)
		r->batch_gen++;
	return sr_batch_push(b);
}

/* Moves the collected attachments onto the batch's last event. */
static enum sr_status flush_attach(struct sr_reader *r, struct sr_batch *b)
{
	struct sr_event *ev;

	if (!r->natt)
		return SR_OK;
	ev = &b->ev[b->n - 1];
	ev->att = sr_arena_alloc(b->arena, r->natt * sizeof(*ev->att));
	if (!ev->att)
		return SR_ERR_NOMEM;
	memcpy(ev->att, r->att, r->natt * sizeof(*ev->att));
	ev->natt = (uint32_t)r->natt;
	r->natt = 0;
	return SR_OK;
}

/* Prints ev and compares with the line: the guarantee of the round trip
 * for the lines the parser was not sure of. */
static void verify(struct sr_reader *r, struct sr_event *ev, const char *line, size_t len)
{
	if (ev->kind == SR_E_UNPARSED)
		return;
	r->scratch.len = 0;
	r->scratch.mark = 0;
	sr_strace_print_event(&r->scratch, ev);
	if (r->scratch.len != len || memcmp(r->scratch.p, line, len) != 0) {
		ev->flags |= SR_EF_VERBATIM;
		ev->text = (struct sr_str){ line, len };
	} else if (ev->has_ret && r->scratch.mark < UINT16_MAX) {
		ev->padcol = (uint16_t)r->scratch.mark;
	}
}

/* The round trip for ev, parsed from line with doubts `doubt`: printed back
 * and compared when the parser noted a doubt (or verify=all); else every
 * token comes back as read, and the padding before "= " starts where the
 * parser found it, at column padcol (what the printer's mark would say). */
static void check_line(struct sr_reader *r, struct sr_event *ev, const char *line, size_t len,
		       uint32_t doubt, size_t padcol)
{
	if (ev->kind == SR_E_UNPARSED || (ev->flags & SR_EF_VERBATIM))
		return;
	if (doubt || r->verify_all) {
		verify(r, ev, line, len);
		return;
	}
	if (ev->has_ret && padcol < UINT16_MAX)
		ev->padcol = (uint16_t)padcol;
}

/* Joins the kept first half with the tail after "resumed>" and parses the
 * whole call. */
static void resume(struct sr_reader *r, struct sr_batch *b, struct sr_event *ev,
		   struct sr_pending *p, const struct sr_line_info *info, const char *line,
		   size_t len)
{
	const struct sr_atom *name = ev->name;
	const struct sr_value *head = NULL;
	size_t pre;
	char *joined;
	struct sr_event tmp = *ev;

	if (p && p->name == name) {
		pre = p->len;
	} else {
		/* no start seen (attached mid-call, or another pid's): the tail alone */
		p = NULL;
		pre = name->len + 1;
		tmp.flags |= SR_EF_ORPHAN;
	}
	joined = sr_arena_alloc(b->arena, pre + info->body.len + 1);
	if (!joined)
		goto bad;
	if (p) {
		memcpy(joined, p->text, pre);
		tmp.start = p->start;
	} else {
		memcpy(joined, name->str, name->len);
		joined[name->len] = '(';
	}
	memcpy(joined + pre, info->body.ptr, info->body.len);
	tmp.split = (uint32_t)pre;
	if (info->resumed_cut)
		tmp.flags |= SR_EF_RESUMED_CUT;
	/* the arguments parsed at the cut are kept: only the tail is parsed,
	 * when it starts where no argument can go on (')' or ", ") or the cut
	 * came after a ", " */
	if (p && p->nhead && p->head_b == b && p->head_gen == r->batch_gen &&
	    !info->resumed_cut &&
	    (p->head_sep || (info->body.len && info->body.ptr[0] == ')') ||
	     (info->body.len > 1 && info->body.ptr[0] == ',' && info->body.ptr[1] == ' ')))
		head = p->head;
	sr_stp_reset(&r->ps, joined, joined + pre + info->body.len);
	if (head) {
		if (!sr_strace_parse_call_cont(&r->ps, joined, joined + pre + info->body.len, pre,
					       head, p->nhead, p->head_sep, &tmp))
			goto bad;
		r->ps.doubt |= p->hdoubt;
	} else if (!sr_strace_parse_call(&r->ps, joined, joined + pre + info->body.len, &tmp)) {
		goto bad;
	}
	tmp.flags |= SR_EF_RESUMED;
	*ev = tmp;
	/* the resumed line prints "<... name resumed>", then the joined text
	 * from pre on: the tail, where it is in the line */
	if (r->ps.padat)
		r->padcol = (size_t)(r->ps.padat - joined) - pre + (size_t)(info->body.ptr - line);
	if (p)
		sr_pend_drop(&r->pend, p); /* only now: a failed try leaves the cut call waiting */
	return;
bad:
	/* a real "<... resumed>" ends the cut call even when its text is
	 * beyond the model; a guessed bare tail does not */
	if (p && !(ev->flags & SR_EF_BARE_RESUME))
		sr_pend_drop(&r->pend, p);
	ev->kind = SR_E_SYSCALL;
	ev->flags |= SR_EF_VERBATIM | SR_EF_RESUMED | (p ? 0 : SR_EF_ORPHAN);
	ev->text = (struct sr_str){ line, len };
}

static int hexv(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The bytes of a dump row " | 00000  7f 45 4c 46 ...  .ELF... |": up to 16
 * "hh " groups after the offset, an extra space after the eighth. */
static bool dump_bytes(struct sr_batch *b, struct sr_attach *a)
{
	const char *p = a->bytes.ptr, *end = a->text.ptr + a->text.len;
	char *d = sr_arena_alloc(b->arena, 16);
	size_t n = 0;

	if (!d)
		return false;
	if (end - p >= 2 && p[0] == ' ' && p[1] == ' ')
		p += 2;
	while (n < 16 && end - p >= 3) {
		int h = hexv((unsigned char)p[0]), l = hexv((unsigned char)p[1]);

		if (h < 0 || l < 0 || p[2] != ' ')
			break;
		d[n++] = (char)(h << 4 | l);
		p += 3;
		if (n == 8 && p < end && *p == ' ')
			p++;
	}
	a->bytes = (struct sr_str){ d, n };
	return true;
}

/* strace -z / -Z print a resumption as the bare tail of the call on the line
 * right after the cut one, without leader or "<... resumed>". */
static void bare_resume(struct sr_reader *r, struct sr_batch *b, struct sr_event *ev,
			const char *line, size_t len)
{
	struct sr_pending *p = r->last_cut;
	struct sr_line_info info = { .body = { line, len } };
	struct sr_event tmp;

	memset(&tmp, 0, sizeof(tmp));
	tmp.kind = SR_E_SYSCALL;
	tmp.line = ev->line;
	tmp.nr = -1;
	tmp.lead.pid = p->pid;
	tmp.name = p->name;
	tmp.flags = SR_EF_BARE_RESUME;
	resume(r, b, &tmp, p, &info, line, len);
	if (!(tmp.flags & SR_EF_VERBATIM)) {
		*ev = tmp;
		if (r->logging)
			plog(r, &(struct sr_pop){ .op = SR_POP_RESUME, .bare = true,
						  .consumed = true, .origin = p->origin });
	}
}

static bool att_room(struct sr_reader *r)
{
	if (r->natt == r->capatt) {
		size_t nc = r->capatt ? r->capatt * 2 : 64;
		struct sr_attach *n = realloc(r->att, nc * sizeof(*n));

		if (!n)
			return false;
		r->att = n;
		r->capatt = nc;
	}
	return true;
}

/* A line that is only an unparsed line: text copied or viewed by the caller. */
static enum sr_status push_unparsed(struct sr_reader *r, struct sr_batch *b, const char *line,
				    size_t len, uint64_t lineno)
{
	struct sr_event *ev;
	enum sr_status st = flush_attach(r, b);

	if (st)
		return st;
	ev = push_event(r, b);
	if (!ev)
		return SR_ERR_NOMEM;
	ev->kind = SR_E_UNPARSED;
	ev->line = lineno;
	ev->text = (struct sr_str){ line, len };
	return SR_OK;
}

static enum sr_status parse_event(struct sr_reader *r, struct sr_batch *b, const char *line,
				  size_t len, uint64_t lineno, bool may_splice);
static enum sr_status dispatch(struct sr_reader *r, struct sr_batch *b, const char *line,
			       size_t len);

/* The line after a spliced message completes the line the message cut:
 * parse the two halves as one line and keep the message as an attachment. */
static enum sr_status finish_splice(struct sr_reader *r, struct sr_batch *b, const char *line,
				    size_t len)
{
	size_t pre = r->splice_pre.len, msg = r->splice_msg.len;
	char *joined = sr_arena_alloc(b->arena, pre + len + msg + 1);
	struct sr_event *ev;
	enum sr_status st;

	r->splice_pending = false;
	if (!joined)
		return SR_ERR_NOMEM;
	memcpy(joined, r->splice_pre.p, pre);
	memcpy(joined + pre, line, len);
	st = parse_event(r, b, joined, pre + len, r->splice_line, false);
	if (st)
		return st;
	ev = &b->ev[b->n - 1];
	if (ev->kind == SR_E_UNPARSED) {
		/* not a continuation: both lines stand as they were */
		b->n--;
		memcpy(joined + pre, r->splice_msg.p, msg);
		st = push_unparsed(r, b, joined, pre + msg, r->splice_line);
		if (st)
			return st;
		return parse_event(r, b, line, len, r->lineno, true);
	}
	if (!att_room(r))
		return SR_ERR_NOMEM;
	memcpy(joined + pre + len, r->splice_msg.p, msg);
	r->att[r->natt++] = (struct sr_attach){
		.kind = SR_A_SPLICE,
		.addr = pre,
		.text = { joined + pre + len, msg },
	};
	return SR_OK;
}

static char *arena_dup(struct sr_batch *b, const char *p, size_t n)
{
	char *d = sr_arena_alloc(b->arena, n + 1);

	if (d)
		memcpy(d, p, n);
	return d;
}

/* The joined "write(...) = N" line with the output as an attachment; false
 * (and nothing pushed) when it does not parse. */
static enum sr_status join_output(struct sr_reader *r, struct sr_batch *b, const char *pre,
				  size_t npre, const char *x, size_t nx, const char *tail,
				  size_t ntail, bool *ok)
{
	char *j = sr_arena_alloc(b->arena, npre + ntail + nx + 1);
	enum sr_status st;
	struct sr_event *ev;

	*ok = false;
	if (!j)
		return SR_ERR_NOMEM;
	memcpy(j, pre, npre);
	memcpy(j + npre, tail, ntail);
	memcpy(j + npre + ntail, x, nx);
	st = parse_event(r, b, j, npre + ntail, r->out_line, false);
	if (st)
		return st;
	ev = &b->ev[b->n - 1];
	/* the write ended there ("= 16"), or was cut after its output
	 * (" <unfinished ...>", resumed on a later line) */
	if (ev->kind != SR_E_SYSCALL && ev->kind != SR_E_UNFINISHED) {
		b->n--;
		return SR_OK;
	}
	if (!att_room(r))
		return SR_ERR_NOMEM;
	r->att[r->natt++] = (struct sr_attach){
		.kind = SR_A_OUTPUT,
		.addr = npre,
		.text = { j + npre + ntail, nx },
	};
	if (r->out_msg.len) {
		/* a strace message that came after the output: printed after
		 * it (the printer inserts the later attachment first) */
		char *m = arena_dup(b, r->out_msg.p, r->out_msg.len);

		if (!m || !att_room(r))
			return SR_ERR_NOMEM;
		r->att[r->natt++] = (struct sr_attach){
			.kind = SR_A_SPLICE,
			.addr = npre,
			.text = { m, r->out_msg.len },
		};
		r->out_msg.len = 0;
	}
	*ok = true;
	return SR_OK;
}

/* The output hypothesis failed: the first line stands unparsed, the lines
 * taken for output are read again as lines, through dispatch as if new: a
 * line among them may start a splice that the next one completes (found
 * by fuzzing: parsed one by one, a second splice overwrote the first, and
 * a splice or output started by the last was never ended).  Lines read
 * again start no output of their own: each would take the rest again
 * (quadratic on a file of "write(1, "", 16777216" lines). */
static enum sr_status output_fallback(struct sr_reader *r, struct sr_batch *b)
{
	size_t m = r->out_msg.len, n = r->out_pre.len + r->out_x.len + (m ? m + 1 : 0);
	char *t = sr_arena_alloc(b->arena, n + 1), *p, *end, *nl;
	uint64_t lno = r->out_line, saved = r->lineno;
	enum sr_status st;

	r->out_pending = false;
	if (!t)
		return SR_ERR_NOMEM;
	memcpy(t, r->out_pre.p, r->out_pre.len);
	memcpy(t + r->out_pre.len, r->out_x.p, r->out_x.len);
	if (m) {
		/* the message line taken in between is a line again */
		memcpy(t + r->out_pre.len + r->out_x.len, r->out_msg.p, m);
		t[n - 1] = '\n';
		r->out_msg.len = 0;
	}
	end = t + n;
	nl = memchr(t, '\n', n);
	st = push_unparsed(r, b, t, (size_t)((nl ? nl : end) - t), lno);
	r->rereading = true;
	for (p = nl ? nl + 1 : end; !st && p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		r->lineno = ++lno; /* counted when first read */
		st = dispatch(r, b, p, (size_t)(nl - p));
	}
	r->rereading = false;
	r->lineno = saved;
	return st;
}

/* The next line of a write whose output runs over several lines. */
static enum sr_status continue_output(struct sr_reader *r, struct sr_batch *b, const char *line,
				      size_t len)
{
	enum sr_status st;
	bool ok;

	if (r->out_need == 0 && !r->out_msg.len && len > 8 && memcmp(line, "strace: ", 8) == 0) {
		/* "strace: Process N attached" between the output and the rest */
		sr_buf_add(&r->out_msg, line, len);
		return r->out_msg.len == len ? SR_OK : SR_ERR_NOMEM;
	}
	if (r->out_need > len) {
		sr_buf_add(&r->out_x, line, len);
		sr_buf_addc(&r->out_x, '\n');
		r->out_need -= len + 1;
		return SR_OK;
	}
	sr_buf_add(&r->out_x, line, (size_t)r->out_need);
	{
		char *x = arena_dup(b, r->out_x.p, r->out_x.len);
		char *pre = arena_dup(b, r->out_pre.p, r->out_pre.len);

		if (!x || !pre)
			return SR_ERR_NOMEM;
		st = join_output(r, b, pre, r->out_pre.len, x, r->out_x.len,
				 line + r->out_need, len - (size_t)r->out_need, &ok);
	}
	if (st || ok) {
		r->out_pending = false;
		return st;
	}
	r->out_x.len -= (size_t)r->out_need;
	st = output_fallback(r, b);
	if (st)
		return st;
	return dispatch(r, b, line, len); /* a splice the fallback began ends here */
}

/* "write(2, "ls: ", 4ls: ) = 4": the program wrote to the terminal strace
 * writes to, between strace's printing of the arguments and of the result.
 * The output is the write's N bytes, newlines and all. */
static enum sr_status try_output(struct sr_reader *r, struct sr_batch *b, const char *line,
				 size_t len, uint64_t lineno, bool *taken)
{
	uint64_t n;
	size_t p = sr_strace_write_prefix(&r->ps, line, len, &n);
	enum sr_status st;

	*taken = false;
	if (!p || n == 0 || n > (1u << 24))
		return SR_OK;
	r->out_line = lineno;
	if (len - p >= n) {
		st = join_output(r, b, line, p, line + p, (size_t)n, line + p + n,
				 len - p - (size_t)n, taken);
		return st;
	}
	r->out_pre.len = r->out_x.len = 0;
	sr_buf_add(&r->out_pre, line, p);
	sr_buf_add(&r->out_x, line + p, len - p);
	sr_buf_addc(&r->out_x, '\n');
	if (r->out_pre.len != p || r->out_x.len != len - p + 1)
		return SR_ERR_NOMEM;
	r->out_need = n - (len - p) - 1;
	r->out_pending = true;
	*taken = true;
	return SR_OK;
}

/* One input line.  A "\r" before the newline is a line ending, not data:
 * an event remembers it (SR_EF_CRLF), an attachment keeps it in its text,
 * so the text comes back the same. */
static enum sr_status parse_one(struct sr_reader *r, struct sr_batch *b, const char *line,
				size_t len)
{
	size_t n = len - (len && line[len - 1] == '\r');

	r->lineno++;
	r->line_skipped = false;
	if (r->skip_att) {
		/* the attachments of an earlier piece's event go with it */
		struct sr_attach a;

		if (is_attach_line(line, line + n) && sr_strace_parse_attach(line, line + n, &a)) {
			r->line_skipped = true;
			return SR_OK;
		}
		r->skip_att = false;
	}
	b->lines++;
	return dispatch(r, b, line, len);
}

/* Line r->lineno, counted: to the state that waits for it, else parsed. */
static enum sr_status dispatch(struct sr_reader *r, struct sr_batch *b, const char *line,
			       size_t len)
{
	struct sr_attach a;
	enum sr_status st;
	bool cr = len && line[len - 1] == '\r';

	len -= cr;
	if (r->out_pending)
		return continue_output(r, b, line, len + cr);
	if (r->splice_pending)
		return finish_splice(r, b, line, len + cr);
	if (is_attach_line(line, line + len) && b->n > 0) {
		if (!att_room(r))
			return SR_ERR_NOMEM;
		if (sr_strace_parse_attach(line, line + len, &a)) {
			if (a.kind == SR_A_DUMP && !dump_bytes(b, &a))
				return SR_ERR_NOMEM;
			a.text.len += cr;
			r->att[r->natt++] = a;
			return SR_OK;
		}
	}
	r->direct = true;
	st = parse_event(r, b, line, len, r->lineno, true);
	r->direct = false;
	if (r->line_skipped)
		return st;
	if (cr && !st && r->splice_pending) {
		/* found by fuzzing: the message that cut the line ends it, so
		 * its text keeps the "\r" (it was dropped) */
		size_t n = r->splice_msg.len;

		sr_buf_addc(&r->splice_msg, '\r');
		if (r->splice_msg.len != n + 1)
			return SR_ERR_NOMEM;
	}
	if (cr && !st && b->n && !r->splice_pending && !r->out_pending)
		b->ev[b->n - 1].flags |= SR_EF_CRLF;
	return st;
}

static enum sr_status parse_event(struct sr_reader *r, struct sr_batch *b, const char *line,
				  size_t len, uint64_t lineno, bool may_splice)
{
	struct sr_event *ev;
	struct sr_attach a;
	struct sr_line_info info;
	enum sr_line_shape shape;
	enum sr_status st;
	size_t k, padcol;
	uint32_t doubt;

	st = flush_attach(r, b);
	if (st)
		return st;
	ev = push_event(r, b);
	if (!ev)
		return SR_ERR_NOMEM;
	ev->line = lineno;
	r->ps.arena = b->arena;
	r->ps.atoms = b->atoms;
	shape = sr_strace_parse_line(&r->ps, line, len, ev, &a, &info);
	doubt = r->ps.doubt;
	padcol = r->ps.padat ? (size_t)(r->ps.padat - line) : SIZE_MAX;
	if (shape == SR_LINE_ATTACH) {
		/* an attachment with no event before it: keep it as a line */
		memset(ev, 0, sizeof(*ev));
		ev->kind = SR_E_UNPARSED;
		ev->lead.pid = -1;
		ev->nr = -1;
		ev->line = lineno;
		ev->text = (struct sr_str){ line, len };
		return SR_OK;
	}
	/* a line that is no line of its own: first the bare tail of the call
	 * cut on the line before (-z/-Z), then a line a message or the
	 * program's output was written into */
	if (ev->kind == SR_E_UNPARSED && r->last_cut) {
		bare_resume(r, b, ev, line, len);
		doubt |= SR_DOUBT_TAIL; /* rare (-z): always printed back */
	}
	if (ev->kind == SR_E_UNPARSED && may_splice && (k = sr_strace_splice_at(line, len)) != 0) {
		/* wait for the rest of the line on the next one */
		b->n--;
		r->splice_pre.len = r->splice_msg.len = 0;
		sr_buf_add(&r->splice_pre, line, k);
		sr_buf_add(&r->splice_msg, line + k, len - k);
		if (r->splice_pre.len != k || r->splice_msg.len != len - k)
			return SR_ERR_NOMEM;
		r->splice_pending = true;
		r->splice_line = lineno;
		return SR_OK;
	}
	if (ev->kind == SR_E_UNPARSED && may_splice && !r->rereading) {
		bool taken;

		b->n--;
		st = try_output(r, b, line, len, lineno, &taken);
		if (st || taken)
			return st;
		return push_unparsed(r, b, line, len, lineno);
	}
	if (ev->lead.pid < 0 && r->file_pid >= 0 && ev->kind != SR_E_UNPARSED &&
	    ev->kind != SR_E_SUMMARY && ev->kind != SR_E_MESSAGE)
		ev->lead.pid = r->file_pid;
	if (ev->lead.has_nr && !ev->lead.nr_unknown)
		ev->nr = ev->lead.nr;
	switch (shape) {
	case SR_LINE_UNFINISHED: {
		struct sr_pending *p = pend_add(r, ev->lead.pid);

		if (!p || !sr_pend_set_text(p, info.body.ptr, info.body.len))
			return SR_ERR_NOMEM;
		/* the arguments as parsed here, for a resumption in this
		 * batch: they and the line stay valid as long as it does */
		if (!(ev->flags & SR_EF_VERBATIM) && ev->nargs) {
			p->head = ev->args;
			p->nhead = ev->nargs;
			p->hdoubt = r->ps.doubt;
			p->head_sep = ev->flags & SR_EF_SEP_CUT;
			p->head_b = b;
			p->head_gen = r->batch_gen;
		}
		p->name = ev->name;
		p->start = ev->lead.time;
		if (r->logging)
			plog(r, &(struct sr_pop){ .op = SR_POP_UNFINISHED, .pid = p->pid,
						  .name = p->name, .start = p->start,
						  .text = info.body, .origin = p->origin });
		break;
	}
	case SR_LINE_RESUMED: {
		struct sr_pending *q = sr_pend_match(&r->pend, ev->lead.pid, ev->name);

		if (q && (q->origin & PIECE_FOREIGN) && q->name == ev->name) {
			if (r->direct) {
				/* an earlier piece's call: its event, read there */
				sr_pend_drop(&r->pend, q);
				b->n--;
				b->lines--;
				r->skip_att = r->line_skipped = true;
				r->last_cut = NULL;
				return SR_OK;
			}
			if (!r->piece_bad) {
				r->piece_bad = "an earlier piece's call resumes in a line that "
					       "another line continues";
				r->piece_bad_line = lineno;
			}
		}
		struct sr_pop op = { .op = SR_POP_RESUME, .pid = ev->lead.pid, .name = ev->name,
				     .origin = q ? q->origin : 0, .evi = b->n - 1,
				     .text = { line, len }, .lineno = lineno,
				     .may_splice = may_splice };

		r->padcol = SIZE_MAX;
		resume(r, b, ev, q, &info, line, len);
		doubt |= r->ps.doubt;
		padcol = r->padcol;
		if (r->logging) {
			op.consumed = q && !q->used;
			plog(r, &op);
		}
		break;
	}
	default:
		if (ev->kind == SR_E_SUPERSEDED) {
			/* the execve cut in thread `code` resumes under this pid */
			struct sr_pending *p = sr_pend_find(&r->pend, ev->code);

			if (p && !sr_pend_find(&r->pend, ev->lead.pid))
				sr_pend_repid(&r->pend, p, ev->lead.pid);
			if (r->logging)
				plog(r, &(struct sr_pop){ .op = SR_POP_SUPERSEDED,
							  .pid = ev->lead.pid, .code = ev->code });
		} else if ((ev->kind == SR_E_EXIT || ev->kind == SR_E_KILLED) &&
			   ev->lead.pid >= 0) {
			/* a task that is gone resumes nothing: keeps the table
			 * as small as the set of live tasks */
			struct sr_pending *p = sr_pend_find(&r->pend, ev->lead.pid);

			if (p)
				sr_pend_drop(&r->pend, p);
			if (r->logging)
				plog(r, &(struct sr_pop){ .op = SR_POP_EXIT, .pid = ev->lead.pid });
		}
		break;
	}
	{
		struct sr_pending *cut = shape == SR_LINE_UNFINISHED ? sr_pend_find(&r->pend, ev->lead.pid) : NULL;

		if (r->logging && (cut || r->last_cut))
			plog(r, &(struct sr_pop){ .op = SR_POP_CUT, .origin = cut ? cut->origin : 0 });
		r->last_cut = cut;
	}
	check_line(r, ev, line, len, doubt, padcol);
	return SR_OK;
}

/* Reads more input after moving the unprocessed tail to the front. */
static enum sr_status fill(struct sr_reader *r, struct sr_error *err)
{
	size_t got;
	enum sr_status st;

	if (r->pos) {
		memmove(r->buf, r->buf + r->pos, r->len - r->pos);
		r->len -= r->pos;
		r->pos = 0;
	}
	while (!r->eof && r->len < r->cap) {
		size_t want = r->cap - r->len;

		if (r->piece) {
			/* a piece ends at its end; the bytes count before any
			 * line limit drops some */
			uint64_t at = sr_source_bytes(r->in);

			if (at >= r->piece->end) {
				r->eof = true;
				break;
			}
			if (want > r->piece->end - at)
				want = (size_t)(r->piece->end - at);
		}
		st = sr_source_read(r->in, r->buf + r->len, want, &got, err);
		if (st < 0)
			return st;
		if (got == 0)
			r->eof = true;
		r->len += got;
		/* one read is enough unless no line is complete yet */
		if (memchr(r->buf + r->len - got, '\n', got))
			break;
	}
	return SR_OK;
}

/* The end of the lines that can be processed now: every complete line, but
 * not the last event line and the attachments after it, which may still get
 * more attachments from the next chunk.  0 when nothing can be processed. */
static size_t safe_limit(const struct sr_reader *r)
{
	const char *b = r->buf, *e = r->buf + r->len, *nl, *start;

	if (r->eof)
		return r->len;
	nl = memrchr(b, '\n', r->len);
	if (!nl)
		return 0;
	e = nl; /* end of the last complete line */
	for (;;) {
		start = memrchr(b, '\n', (size_t)(e - b));
		start = start ? start + 1 : b;
		if (!is_attach_line(start, e) || start == b)
			return (size_t)(start - b);
		e = start - 1;
	}
}

/* lim, or on live input that paused, the end of the last complete line:
 * what safe_limit holds back for attachments goes too. */
static size_t live_limit(struct sr_reader *r, size_t lim)
{
	const char *nl;

	if (r->eof || lim == r->len)
		return lim;
	nl = memrchr(r->buf + lim, '\n', r->len - lim);
	if (nl && !sr_source_ready(r->in, IDLE_MS))
		return (size_t)(nl + 1 - r->buf);
	return lim;
}

/* Parses the lines of buf[0..len): every complete line, and at the end of
 * the input (eof) the last one even without a newline and whatever waits
 * for a continuation.  buf must not end inside an event's attachments
 * unless eof.  The batch is not reset. */
enum sr_status sr_strace_parse_range(struct sr_reader *r, struct sr_batch *b, const char *buf,
				     size_t len, bool eof)
{
	const char *p = buf, *end = buf + len;
	enum sr_status st;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		st = parse_one(r, b, p, (size_t)(le - p));
		if (st < 0)
			return st;
		if (!nl && b->n && !r->splice_pending && !r->out_pending && !r->line_skipped)
			b->ev[b->n - 1].flags |= SR_EF_NO_EOL;
		p = nl ? nl + 1 : end;
	}
	if (eof && r->out_pending) {
		st = output_fallback(r, b);
		if (st < 0)
			return st;
		/* (a splice the last line began ends below, unterminated) */
		if (len && buf[len - 1] != '\n' && !r->splice_pending)
			b->ev[b->n - 1].flags |= SR_EF_NO_EOL;
	}
	if (eof && r->splice_pending) {
		/* the input ended inside a line a message had cut */
		size_t pre = r->splice_pre.len, msg = r->splice_msg.len;
		char *t = sr_arena_alloc(b->arena, pre + msg + 1);

		if (!t)
			return SR_ERR_NOMEM;
		memcpy(t, r->splice_pre.p, pre);
		memcpy(t + pre, r->splice_msg.p, msg);
		r->splice_pending = false;
		st = push_unparsed(r, b, t, pre + msg, r->splice_line);
		if (st < 0)
			return st;
		if (len && buf[len - 1] != '\n')
			b->ev[b->n - 1].flags |= SR_EF_NO_EOL;
	}
	st = flush_attach(r, b);
	if (st < 0)
		return st;
	if (r->log_failed)
		return SR_ERR_NOMEM;
	return SR_OK;
}

size_t sr_strace_cut_lines(const char *buf, size_t len, size_t max)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t n = 0;

	while (n < max && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		p = nl + 1;
		n++;
	}
	if (n < max)
		return len;
	/* attachments belong to the event before them: keep them with it */
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL &&
	       is_attach_line(p, nl))
		p = nl + 1;
	return (size_t)(p - buf);
}

/* ------------------------------------------------------------------ */
/* One piece of a file (the "piece" option; the plan: strace_piece.c).  */

/* The cut calls earlier pieces left open: known by pid and name only, so
 * that every line matches what it would match in the whole file. */
static enum sr_status piece_start(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	for (size_t i = 0; i < r->piece->nopen; i++) {
		const struct sr_piece_call *c = &r->piece->open[i];
		const struct sr_atom *a = sr_intern(b->atoms, c->name.ptr, c->name.len);
		struct sr_pending *p = a ? sr_pend_add(&r->pend, c->pid, PIECE_FOREIGN | (i + 1)) : NULL;

		if (!p)
			return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
		p->name = a;
	}
	r->piece_started = true;
	return SR_OK;
}

static enum sr_status piece_fail(struct sr_reader *r, uint64_t line, const char *why,
				 struct sr_error *err)
{
	sr_error_set(err, SR_ERR_PARSE,
		     "cannot read piece %llu-%llu: %s (read the file whole)",
		     (unsigned long long)r->piece->start, (unsigned long long)r->piece->end, why);
	sr_error_file(err, sr_source_name(r->in));
	if (err)
		err->line = line;
	return SR_ERR_PARSE;
}

/* Reads the line at off and the attachments after it onto r->ahead; *len:
 * their bytes (newlines included). */
static enum sr_status ahead_read(struct sr_reader *r, uint64_t off, size_t *len,
				 struct sr_error *err)
{
	size_t s0 = r->ahead.len, pos = s0, got;
	bool eof = false, first = true;
	enum sr_status st = sr_source_seek(r->in, off, err);

	if (st)
		return st;
	for (;;) {
		const char *p = r->ahead.p + pos, *end = r->ahead.p + r->ahead.len, *nl;
		size_t n;

		nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!nl && !eof) {
			if (!sr_buf_grow(&r->ahead, 1 << 16))
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
			st = sr_source_read(r->in, r->ahead.p + r->ahead.len,
					    r->ahead.cap - r->ahead.len, &got, err);
			if (st < 0)
				return st;
			eof = got == 0;
			r->ahead.len += got;
			continue;
		}
		if (p == end)
			break;
		n = (size_t)((nl ? nl : end) - p);
		if (!first) {
			struct sr_attach a;
			size_t m = n && p[n - 1] == '\r' ? n - 1 : n;

			if (!is_attach_line(p, p + m) || !sr_strace_parse_attach(p, p + m, &a))
				break;
		}
		first = false;
		pos += n + (nl != NULL);
	}
	*len = pos - s0;
	r->ahead.len = pos;
	return SR_OK;
}

/* At the piece's end: checks that the reading agrees with the whole
 * file's, then completes the calls this piece cut that resume later. */
static enum sr_status piece_finish(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	static const struct sr_summary none;
	const struct sr_piece_spec *ps = r->piece;
	size_t *seg = NULL, k = 0;
	enum sr_status st = SR_OK;

	if (r->piece_bad)
		return piece_fail(r, r->piece_bad_line, r->piece_bad, err);
	if (ps->last)
		return SR_OK;
	if (r->splice_pending || r->out_pending)
		return piece_fail(r, r->splice_pending ? r->splice_line : r->out_line,
				  "the piece ends inside a line that a message or the program's "
				  "output split", err);
	if (r->last_cut)
		return piece_fail(r, r->lineno, "the piece ends right after a cut call", err);
	if (memcmp(&r->ps.table, &none, sizeof(none)) != 0)
		return piece_fail(r, r->lineno, "the piece ends inside a -c table", err);
	if (r->pend.nlive != ps->nclose)
		return piece_fail(r, r->lineno, "the plan's cut calls at the piece's end are not "
				  "the reader's", err);
	for (size_t i = 0; i < ps->nclose; i++) {
		const struct sr_pending *p = sr_pend_find(&r->pend, ps->close[i].pid);

		if (!p || p->name->len != ps->close[i].name.len ||
		    memcmp(p->name->str, ps->close[i].name.ptr, p->name->len) != 0)
			return piece_fail(r, r->lineno, "the plan's cut calls at the piece's end "
					  "are not the reader's", err);
	}
	/* past the end, only this piece's own calls matter */
	for (size_t i = 0; i < r->pend.nslot; i++)
		if (r->pend.slot[i].used && (r->pend.slot[i].origin & PIECE_FOREIGN))
			sr_pend_drop(&r->pend, &r->pend.slot[i]);
	r->skip_att = false;
	/* the lines first (views into r->ahead must not move), then the table */
	r->ahead.len = 0;
	seg = calloc(ps->nahead + 1, 2 * sizeof(*seg));
	if (!seg)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
	for (size_t i = 0; i < ps->nahead; i++) {
		if (ps->ahead[i].kind != SR_AHEAD_RESUME)
			continue;
		seg[2 * k] = r->ahead.len;
		st = ahead_read(r, ps->ahead[i].off, &seg[2 * k + 1], err);
		if (st)
			goto out;
		k++;
	}
	k = 0;
	for (size_t i = 0; i < ps->nahead; i++) {
		const struct sr_ahead *a = &ps->ahead[i];
		struct sr_pending *p = sr_pend_find(&r->pend, a->pid);
		size_t live = r->pend.nlive;

		switch (a->kind) {
		case SR_AHEAD_DROP:
			if (!p)
				goto bad;
			sr_pend_drop(&r->pend, p);
			break;
		case SR_AHEAD_REPID:
			if (!p)
				goto bad;
			if (!sr_pend_find(&r->pend, a->pid2))
				sr_pend_repid(&r->pend, p, a->pid2);
			break;
		default:
			r->lineno = a->line - 1;
			st = sr_strace_parse_range(r, b, r->ahead.p + seg[2 * k], seg[2 * k + 1], false);
			k++;
			if (st < 0) {
				sr_error_set(err, st, "cannot read input: out of memory");
				goto out;
			}
			if (r->pend.nlive + 1 != live || r->splice_pending || r->out_pending) {
				st = piece_fail(r, a->line, "the plan's resumption line does not resume "
						"the piece's call", err);
				goto out;
			}
			break;
		}
	}
	goto out;
bad:
	st = piece_fail(r, r->lineno, "the plan's calls after the piece are not the reader's", err);
out:
	free(seg);
	return st;
}

static enum sr_status strace_next(struct sr_reader *r, struct sr_batch *b, struct sr_error *err)
{
	size_t lim;
	enum sr_status st;

	sr_batch_reset(b);
	b->source = sr_source_name(r->in);
	for (;;) {
		st = fill(r, err);
		if (st < 0)
			return st;
		lim = live_limit(r, safe_limit(r));
		if (lim > 0 || r->eof)
			break;
		/* one event and its attachments fill the buffer: grow it */
		if (r->len == r->cap) {
			size_t nc = r->cap * 2;
			char *n = realloc(r->buf, nc);

			if (!n)
				return sr_error_set(err, SR_ERR_NOMEM, "cannot read input: out of memory");
			r->buf = n;
			r->cap = nc;
		}
	}
	if (r->piece && !r->piece_started) {
		st = piece_start(r, b, err);
		if (st < 0)
			return st;
	}
	if (lim == 0 && r->eof && r->len == 0 && (!r->piece || r->piece_done))
		return SR_END;
	lim = sr_strace_cut_lines(r->buf, lim, SR_STRACE_BATCH_LINES);
	/* a piece's end is no end of the input unless it is the file's */
	st = sr_strace_parse_range(r, b, r->buf, lim,
				   r->eof && lim == r->len && (!r->piece || r->piece->last));
	if (st < 0)
		return sr_error_set(err, st, "cannot read input: out of memory");
	r->pos = lim;
	if (r->piece && r->eof && r->pos == r->len && !r->piece_done) {
		r->piece_done = true;
		st = piece_finish(r, b, err);
		if (st < 0)
			return st;
	}
	if (r->eof && r->pos == r->len) {
		r->len = r->pos = 0;
		return b->n ? SR_OK : SR_END;
	}
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* Parallel parsing (strace_par.c): workers parse chunks from an empty
 * state, recording what they did to the table of unfinished calls; a
 * sequential reader replays those records, chunk after chunk, and re-parses
 * the few resumptions whose match the empty start got wrong. */

struct sr_reader *sr_strace_worker_new(const char *source, bool logging)
{
	struct sr_reader *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->logging = logging;
	/* a sequential reader's own cuts never compare equal to a chunk's */
	r->next_origin = logging ? 0 : (uint64_t)1 << 62;
	r->file_pid = sr_strace_pid_from_name(source);
	return r;
}

void sr_strace_worker_free(struct sr_reader *r)
{
	strace_close(r);
}

void sr_strace_worker_reset(struct sr_reader *r)
{
	sr_pend_clear(&r->pend);
	r->last_cut = NULL;
	r->splice_pending = r->out_pending = false;
	r->natt = 0;
	r->lineno = 0;
	r->nops = 0;
	r->next_origin = 0;
	r->log_failed = false;
	memset(&r->ps.table, 0, sizeof(r->ps.table));
}

bool sr_strace_worker_carries(const struct sr_reader *r)
{
	static const struct sr_summary none;

	return r->last_cut || r->splice_pending || r->out_pending ||
	       memcmp(&r->ps.table, &none, sizeof(none)) != 0;
}

void sr_strace_worker_start(struct sr_reader *r, uint64_t lineno)
{
	r->lineno = lineno;
}

static bool buf_copy(struct sr_buf *d, const struct sr_buf *s)
{
	d->len = 0;
	sr_buf_add(d, s->p, s->len);
	return d->len == s->len;
}

enum sr_status sr_strace_stitch(struct sr_reader *seq, const struct sr_reader *w,
				struct sr_batch *wb, struct sr_batch *tmp, uint64_t base,
				uint64_t tag, const struct sr_atom *(*remap)(void *ctx,
									const struct sr_atom *a),
				void *ctx)
{
	for (size_t i = 0; i < wb->n; i++) {
		struct sr_event *ev = &wb->ev[i];

		ev->line += base;
		if (ev->name && !(ev->name = remap(ctx, ev->name)))
			return SR_ERR_NOMEM;
		if (ev->err && !(ev->err = remap(ctx, ev->err)))
			return SR_ERR_NOMEM;
	}
	wb->atoms = tmp->atoms;
	for (size_t i = 0; i < w->nops; i++) {
		const struct sr_pop *op = &w->ops[i];
		const struct sr_atom *name = op->name ? remap(ctx, op->name) : NULL;
		struct sr_pending *p;

		if (op->name && !name)
			return SR_ERR_NOMEM;
		switch (op->op) {
		case SR_POP_UNFINISHED:
			p = sr_pend_find(&seq->pend, op->pid);
			if (p)
				sr_pend_set_origin(&seq->pend, p, tag | op->origin);
			else
				p = sr_pend_add(&seq->pend, op->pid, tag | op->origin);
			if (!p || !sr_pend_set_text(p, op->text.ptr, op->text.len))
				return SR_ERR_NOMEM;
			p->name = name;
			p->start = op->start;
			break;
		case SR_POP_CUT:
			seq->last_cut = op->origin ? sr_pend_origin(&seq->pend, tag | op->origin) : NULL;
			break;
		case SR_POP_EXIT:
			if ((p = sr_pend_find(&seq->pend, op->pid)))
				sr_pend_drop(&seq->pend, p);
			break;
		case SR_POP_SUPERSEDED:
			if ((p = sr_pend_find(&seq->pend, op->code)) && !sr_pend_find(&seq->pend, op->pid))
				sr_pend_repid(&seq->pend, p, op->pid);
			break;
		case SR_POP_RESUME: {
			uint64_t want = op->origin ? tag | op->origin : 0;
			struct sr_event old, *ev;
			enum sr_status st;

			p = op->bare ? seq->last_cut : sr_pend_match(&seq->pend, op->pid, name);
			if ((p ? p->origin : 0) == want) {
				if (op->consumed)
					sr_pend_drop(&seq->pend, p);
				break;
			}
			/* the worker matched another cut call (or none) than the
			 * whole file would: parse the line again, as the
			 * sequential reader would have */
			assert(!op->bare);
			old = wb->ev[op->evi];
			st = parse_event(seq, tmp, op->text.ptr, op->text.len, base + op->lineno,
					 op->may_splice);
			if (st)
				return st;
			ev = &tmp->ev[tmp->n - 1];
			ev->att = old.att;
			ev->natt = old.natt;
			ev->flags |= old.flags & (SR_EF_CRLF | SR_EF_NO_EOL);
			wb->ev[op->evi] = *ev;
			break;
		}
		}
	}
	/* the state the next chunk starts from */
	seq->lineno = base + w->lineno;
	seq->ps.table = w->ps.table;
	seq->splice_pending = w->splice_pending;
	seq->splice_line = base + w->splice_line;
	seq->out_pending = w->out_pending;
	seq->out_line = base + w->out_line;
	seq->out_need = w->out_need;
	if ((w->splice_pending && (!buf_copy(&seq->splice_pre, &w->splice_pre) ||
				   !buf_copy(&seq->splice_msg, &w->splice_msg))) ||
	    (w->out_pending &&
	     (!buf_copy(&seq->out_pre, &w->out_pre) || !buf_copy(&seq->out_x, &w->out_x))))
		return SR_ERR_NOMEM;
	return SR_OK;
}

/* Scores how much the head of an input looks like strace output. */
static int strace_probe(const void *head, size_t n)
{
	const char *p = head, *end = p + n, *nl;
	int hits = 0, lines = 0;

	if (memchr(p, '\0', n))
		return 0;
	/* no strace line starts with '{' and a key: JSON whose strings quote
	 * strace lines (a verbatim or unparsed event) is no strace text */
	if (n > 1 && p[0] == '{' && p[1] == '"')
		return 0;
	while (p < end && lines < 8) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		lines++;
		if (memmem(p, (size_t)(nl - p), ") = ", 4) || memmem(p, (size_t)(nl - p), "<unfinished ...>", 16) ||
		    memmem(p, (size_t)(nl - p), "resumed>", 8) || memmem(p, (size_t)(nl - p), "+++ ", 4) ||
		    memmem(p, (size_t)(nl - p), "--- ", 4) || memmem(p, (size_t)(nl - p), "% time", 6))
			hits++;
		p = nl + 1;
	}
	if (!lines)
		return 1;
	return hits ? 40 + 60 * hits / lines : 5;
}

static const struct sr_optdesc sr_in_strace_keys[] = {
	{ "piece", "read one piece of a big file: a spec sr_strace_plan_pieces() made" },
	{ "max_line", "the longest line kept, in bytes (K, M, G suffixes; 0: no limit; "
		      "default 64M)" },
	{ SR_STRACE_VERIFY_KEY, "which lines are printed back and compared with the input: "
				"flagged (default: those the parser is not sure of) or all" },
	{ NULL, NULL },
};

const struct sr_reader_class sr_in_strace = {
	.name = "strace",
	.exts = ".strace,.txt,.trace,.log",
	.summary = "strace text output, every flag combination (-f -ff -tt -T -y -X -x -k ...; -O verify=all)",
	.probe = strace_probe,
	.open = strace_open,
	.next = strace_next,
	.close = strace_close,
	.opt_keys = sr_in_strace_keys,
};
