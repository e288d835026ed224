/*
 * strace_piece.c - one big strace text file cut into pieces that
 * independent processes read, each giving exactly the events of the whole
 * file's parse that start in it (sysrep.dask: a partition per piece).
 *
 * The only state the strace reader carries from line to line that a piece
 * cannot rebuild on its own is the table of cut calls: a call cut by
 * "<unfinished ...>" in one piece may resume in a later one.  The plan is
 * one sequential pass over the file that reads each line's shape only
 * (sr_strace_cut_shape: leader, "<unfinished ...>", "<... NAME resumed>",
 * "+++ ... +++"; no arguments, no printing) and keeps the table as the
 * reader would, without the calls' text.  It cuts at line starts about
 * every piece_bytes, and writes for each piece (its spec, the reader's
 * "piece" option):
 *   - the cut calls open at its start (pid and name): an earlier piece's;
 *     their "<... resumed>" lines are that piece's events, skipped here;
 *   - the cut calls open at its end, as the plan saw them: the reader
 *     checks its own table against them, so a plan that misread a line
 *     fails loudly instead of giving other events than the whole parse;
 *   - what happens after its end to the calls it cut itself: the byte
 *     offset and number of each resumption line (the reader parses that
 *     line, and its attachments, with its table and emits the event), and
 *     the exits, replacements and thread execs that end or move them.
 * Lines that belong to no piece's table (a message strace spliced into a
 * line, a program's output on strace's terminal, a -c table) are never
 * cut across: the plan avoids the cuts it can see, and a reader whose
 * piece ends inside one reports it (SR_ERR_PARSE) rather than guess.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "strace_internal.h"
#include "strace_pend.h"

#define PLAN_CHUNK ((size_t)1 << 20)
#define STARTS_LIT(p, n, lit) ((n) >= sizeof(lit) - 1 && memcmp((p), (lit), sizeof(lit) - 1) == 0)

struct plan_piece {
	uint64_t start, end, line;
	struct sr_buf open;   /* "PID:NAME,..." at start */
	struct sr_buf ahead;  /* "rOFF:LINE,dPID,pPID:PID2,..." */
};

struct planner {
	struct sr_pend_table t;     /* origin = owner piece << 32 | serial */
	struct sr_intern *names;    /* owned */
	struct plan_piece *pc;      /* owned */
	size_t npc, cappc;
	uint32_t serial;
	int64_t file_pid;
	struct sr_pending *last_cut;/* borrowed: the previous line's cut call */
	struct sr_buf last_body;    /* its "name(args" text (for a -z bare tail) */
	struct sr_batch scratch;    /* a full parse of a possible bare tail */
	struct sr_stp ps;
	bool splice;                /* a message cut the last line: the next ends it */
	struct sr_buf splice_pre;   /* the last line up to the message */
	uint64_t splice_off, splice_line;
	struct sr_buf joined;
	bool oom;
};

static void add_call(struct sr_buf *b, int64_t pid, const struct sr_atom *name)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%" PRId64 ":", pid);

	if (b->len)
		sr_buf_addc(b, ',');
	sr_buf_add(b, num, (size_t)n);
	sr_buf_add(b, name->str, name->len);
}

/* An entry of the owner's list of what follows its end: "dPID" (the call
 * ends unseen), "pPID:PID2" (it moves to PID2), "rOFF:LINE" (it resumes on
 * that line). */
static void add_ahead(struct planner *pl, uint64_t origin, char kind, int64_t a, int64_t b)
{
	struct plan_piece *owner = &pl->pc[origin >> 32];
	char t[64];
	int n = kind == 'd' ? snprintf(t, sizeof(t), "d%" PRId64, a)
			    : snprintf(t, sizeof(t), "%c%" PRId64 ":%" PRId64, kind, a, b);

	if (owner->ahead.len)
		sr_buf_addc(&owner->ahead, ',');
	sr_buf_add(&owner->ahead, t, (size_t)n);
}

/* The calls open now, "PID:NAME,..." (the table's slot order). */
static void snapshot(const struct planner *pl, struct sr_buf *b)
{
	for (size_t i = 0; i < pl->t.nslot; i++)
		if (pl->t.slot[i].used)
			add_call(b, pl->t.slot[i].pid, pl->t.slot[i].name);
}

static bool new_piece(struct planner *pl, uint64_t start, uint64_t line)
{
	struct plan_piece *p;

	if (pl->npc == pl->cappc) {
		size_t nc = pl->cappc ? pl->cappc * 2 : 16;
		struct plan_piece *n = realloc(pl->pc, nc * sizeof(*n));

		if (!n)
			return false;
		pl->pc = n;
		pl->cappc = nc;
	}
	p = &pl->pc[pl->npc++];
	memset(p, 0, sizeof(*p));
	p->start = start;
	p->line = line;
	snapshot(pl, &p->open);
	return true;
}

static uint64_t origin_here(struct planner *pl)
{
	return (uint64_t)(pl->npc - 1) << 32 | ++pl->serial;
}

static bool is_mine(const struct planner *pl, const struct sr_pending *p)
{
	return (p->origin >> 32) == pl->npc - 1;
}

/* -z/-Z: the line after a cut one may be that call's bare tail, which
 * ends it; only the real parser can say (as the reader's bare_resume). */
static bool bare_tail(struct planner *pl, const char *line, size_t len)
{
	struct sr_event *ev;
	struct sr_attach a;
	struct sr_line_info info;
	size_t pre = pl->last_body.len;
	char *j;
	bool ok;

	sr_batch_reset(&pl->scratch);
	ev = sr_batch_push(&pl->scratch);
	if (!ev)
		return pl->oom = true, false;
	pl->ps.arena = pl->scratch.arena;
	pl->ps.atoms = pl->scratch.atoms;
	if (sr_strace_parse_line(&pl->ps, line, len, ev, &a, &info) != SR_LINE_EVENT ||
	    ev->kind != SR_E_UNPARSED)
		return false;
	j = sr_arena_alloc(pl->scratch.arena, pre + len + 1);
	if (!j)
		return pl->oom = true, false;
	memcpy(j, pl->last_body.p, pre);
	memcpy(j + pre, line, len);
	memset(ev, 0, sizeof(*ev));
	sr_stp_reset(&pl->ps, j, j + pre + len);
	ok = sr_strace_parse_call(&pl->ps, j, j + pre + len, ev);
	return ok;
}

/* Whether the reader keeps line as an unparsed line (a full parse: the
 * planner does it only for a few lines). */
static bool unparsed(struct planner *pl, const char *line, size_t len)
{
	struct sr_event *ev;
	struct sr_attach a;
	struct sr_line_info info;

	sr_batch_reset(&pl->scratch);
	ev = sr_batch_push(&pl->scratch);
	if (!ev)
		return pl->oom = true, false;
	pl->ps.arena = pl->scratch.arena;
	pl->ps.atoms = pl->scratch.atoms;
	return sr_strace_parse_line(&pl->ps, line, len, ev, &a, &info) == SR_LINE_EVENT &&
	       ev->kind == SR_E_UNPARSED;
}

static void plan_shape(struct planner *pl, const char *line, size_t len, uint64_t off,
		       uint64_t lineno, bool may_splice);

/* One line at byte off, number lineno: the reader's table operations
 * (parse_one and parse_event in in_strace.c), on the plan's table.
 * msg: "strace: " or "Process " occurs in the line after its first byte. */
static void plan_line(struct planner *pl, const char *line, size_t len, uint64_t off,
		      uint64_t lineno, bool msg)
{
	if (len && line[len - 1] == '\r')
		len--;
	if (pl->splice) {
		/* the line a message cut, with its rest (finish_splice) */
		int64_t pid, code;
		struct sr_str nm;

		pl->splice = false;
		pl->joined.len = 0;
		sr_buf_add(&pl->joined, pl->splice_pre.p, pl->splice_pre.len);
		sr_buf_add(&pl->joined, line, len);
		if (pl->joined.len != pl->splice_pre.len + len) {
			pl->oom = true;
			return;
		}
		if (sr_strace_cut_shape(pl->joined.p, pl->joined.len, &pid, &nm, &code) != SR_CUT_OTHER ||
		    !unparsed(pl, pl->joined.p, pl->joined.len)) {
			plan_shape(pl, pl->joined.p, pl->joined.len, pl->splice_off, pl->splice_line,
				   false);
			return;
		}
		/* not a continuation: the line stands alone */
	}
	plan_shape(pl, line, len, off, lineno, msg);
}

static void plan_shape(struct planner *pl, const char *line, size_t len, uint64_t off,
		       uint64_t lineno, bool may_splice)
{
	int64_t pid, code;
	struct sr_str nm;
	const struct sr_atom *name = NULL;
	struct sr_pending *p, *cut = NULL;
	enum sr_cut_shape sh;
	bool leader;
	size_t k;

	sh = sr_strace_cut_shape(line, len, &pid, &nm, &code);
	if (sh == SR_CUT_ATTACH_LIKE)
		return; /* the reader attaches it: the line before stays the last */
	leader = pid >= 0;
	if (pid < 0 && pl->file_pid >= 0)
		pid = pl->file_pid;
	if (nm.len && !(name = sr_intern(pl->names, nm.ptr, nm.len))) {
		pl->oom = true;
		return;
	}
	switch (sh) {
	case SR_CUT_UNFINISHED:
		p = sr_pend_find(&pl->t, pid);
		if (p && !is_mine(pl, p)) {
			/* the owner's call is replaced: it ends there for the owner */
			add_ahead(pl, p->origin, 'd', pid, 0);
			sr_pend_set_origin(&pl->t, p, origin_here(pl));
		} else if (!p) {
			p = sr_pend_add(&pl->t, pid, origin_here(pl));
		}
		if (!p) {
			pl->oom = true;
			return;
		}
		p->name = name;
		cut = p;
		pl->last_body.len = 0;
		sr_buf_add(&pl->last_body, line, (size_t)code);
		break;
	case SR_CUT_RESUMED:
		p = sr_pend_match(&pl->t, pid, name);
		if (p && p->name == name) {
			if (!is_mine(pl, p))
				add_ahead(pl, p->origin, 'r', (int64_t)off, (int64_t)lineno);
			sr_pend_drop(&pl->t, p);
		}
		break;
	case SR_CUT_EXIT:
		if (pid >= 0 && (p = sr_pend_find(&pl->t, pid))) {
			if (!is_mine(pl, p))
				add_ahead(pl, p->origin, 'd', pid, 0);
			sr_pend_drop(&pl->t, p);
		}
		break;
	case SR_CUT_SUPERSEDED:
		if ((p = sr_pend_find(&pl->t, code)) && !sr_pend_find(&pl->t, pid)) {
			if (!is_mine(pl, p))
				add_ahead(pl, p->origin, 'p', code, pid);
			sr_pend_repid(&pl->t, p, pid);
		}
		break;
	default:
		/* a -z bare tail, only right after the cut line (same piece) */
		if (pl->last_cut && !leader && bare_tail(pl, line, len)) {
			sr_pend_drop(&pl->t, pl->last_cut);
		} else if (may_splice && (k = sr_strace_splice_at(line, len)) != 0 &&
			   unparsed(pl, line, len)) {
			pl->splice = true;
			pl->splice_off = off;
			pl->splice_line = lineno;
			pl->splice_pre.len = 0;
			sr_buf_add(&pl->splice_pre, line, k);
			if (pl->splice_pre.len != k)
				pl->oom = true;
		}
		break;
	}
	pl->last_cut = cut;
}


/* A line that may start a -c table (its header or rule, with the words
 * -U can put first), after which the strace reader reads rows in that
 * table's layout until the end: no cut after it. */
static bool summary_head(const char *p, size_t n)
{
	static const char *const heads[] = { "% time ", "------", "syscall ", "calls ",
					     "seconds ", "errors ", "total ", "usecs/call ",
					     "shortest ", " longest ", "longest ",
					     "System call usage summary for " };

	if (!n || (*p != '%' && *p != '-' && *p != ' ' && (*p < 'a' || *p > 'z') && *p != 'S'))
		return false;
	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (n >= strlen(heads[i]) && memcmp(p, heads[i], strlen(heads[i])) == 0)
			return true;
	return false;
}

static void planner_free(struct planner *pl)
{
	for (size_t i = 0; i < pl->npc; i++) {
		sr_buf_free(&pl->pc[i].open);
		sr_buf_free(&pl->pc[i].ahead);
	}
	free(pl->pc);
	sr_pend_free(&pl->t);
	sr_intern_free(pl->names);
	sr_buf_free(&pl->last_body);
	sr_buf_free(&pl->splice_pre);
	sr_buf_free(&pl->joined);
	sr_batch_free(&pl->scratch);
	sr_stp_free(&pl->ps);
}

static enum sr_status make_plan(struct planner *pl, struct sr_plan *plan, uint64_t size)
{
	plan->piece = calloc(pl->npc, sizeof(*plan->piece));
	if (!plan->piece)
		return SR_ERR_NOMEM;
	plan->n = pl->npc;
	for (size_t i = 0; i < pl->npc; i++) {
		struct plan_piece *p = &pl->pc[i];
		struct sr_buf *close = i + 1 < pl->npc ? &pl->pc[i + 1].open : NULL;
		size_t n = 96 + p->open.len + (close ? close->len : 0) + p->ahead.len;
		char *s = malloc(n);

		p->end = i + 1 < pl->npc ? pl->pc[i + 1].start : size;
		plan->piece[i] = (struct sr_piece){ p->start, p->end, p->line, s };
		if (!s)
			return SR_ERR_NOMEM;
		snprintf(s, n, "%" PRIu64 " %" PRIu64 " %" PRIu64 " %d;%.*s;%.*s;%.*s", p->start,
			 p->end, p->line, i + 1 == pl->npc, (int)p->open.len,
			 p->open.p ? p->open.p : "", close ? (int)close->len : 0,
			 close && close->p ? close->p : "", (int)p->ahead.len,
			 p->ahead.p ? p->ahead.p : "");
	}
	return SR_OK;
}

/* Where the next "strace: " and "Process " are in the buffer: memmem runs
 * over the buffer from hit to hit instead of twice per line (a message is
 * rare; a line holding one is then read as the reader's sr_strace_splice_at() reads
 * it). */
struct msg_hits {
	const char *next[2];         /* the next hit (NULL: none in the buffer) */
	bool valid[2];               /* next[] was searched for */
};

static bool has_msg(struct msg_hits *h, const char *line, const char *le, const char *end)
{
	static const char *const pat[2] = { "strace: ", "Process " };
	bool yes = false;

	for (int i = 0; i < 2; i++) {
		if (!h->valid[i] || (h->next[i] && h->next[i] < line + 1)) {
			h->next[i] = line + 1 < end ? memmem(line + 1, (size_t)(end - line - 1),
							     pat[i], 8) : NULL;
			h->valid[i] = true;
		}
		if (h->next[i] && h->next[i] < le)
			yes = true;
	}
	return yes;
}

enum sr_status sr_strace_plan_pieces(const char *path, uint64_t piece_bytes, struct sr_plan *plan,
				     struct sr_error *err)
{
	struct planner pl;
	struct sr_source *src = NULL;
	char *buf = NULL, head[4];
	size_t len = 0, cap = PLAN_CHUNK, got;
	uint64_t base = 0, lineno = 0;
	bool eof = false, stop = false, prev_cut = false, prev_splice = false;
	struct msg_hits hits = { 0 };
	enum sr_status st;

	memset(plan, 0, sizeof(*plan));
	memset(&pl, 0, sizeof(pl));
	if (!piece_bytes)
		return sr_error_set(err, SR_ERR_USAGE, "cannot plan pieces: piece size 0");
	st = sr_source_open(&src, path, err);
	if (st)
		return st;
	pl.names = sr_intern_new();
	buf = malloc(cap);
	if (!pl.names || !buf || sr_batch_init(&pl.scratch, pl.names) || !new_piece(&pl, 0, 1)) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot plan pieces: out of memory");
		goto out;
	}
	sr_stp_init(&pl.ps, pl.scratch.arena, pl.names);
	pl.file_pid = sr_strace_pid_from_name(path);
	/* compressed input cannot be read from the middle: one piece */
	if (sr_source_peek(src, head, sizeof(head), err) &&
	    sr_source_seek(src, 0, NULL) != SR_OK) {
		st = make_plan(&pl, plan, 0);
		if (!st) {
			free(plan->piece[0].spec);
			plan->piece[0].spec = NULL;
			plan->piece[0].end = UINT64_MAX;
		}
		goto out;
	}
	while (!eof || len) {
		char *p = buf, *end, *nl;

		if (!eof) {
			if (len == cap) {
				/* a line longer than the buffer */
				char *n = realloc(buf, cap * 2);

				if (!n) {
					st = sr_error_set(err, SR_ERR_NOMEM, "cannot plan pieces: out of memory");
					goto out;
				}
				buf = n;
				cap *= 2;
			}
			st = sr_source_read(src, buf + len, cap - len, &got, err);
			if (st < 0)
				goto out;
			eof = got == 0;
			len += got;
			p = buf;
		}
		end = buf + len;
		while (p < end) {
			size_t n;
			uint64_t off = base + (uint64_t)(p - buf);

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl && !eof)
				break;
			n = (size_t)((nl ? nl : end) - p);
			lineno++;
			if (!stop && summary_head(p, n))
				stop = true; /* a -c table: the reader reads on in its layout */
			if (!stop && off - pl.pc[pl.npc - 1].start >= piece_bytes && !prev_cut &&
			    !prev_splice && !(n > 2 && p[0] == ' ' && p[2] == ' ' &&
					      (p[1] == '>' || p[1] == '|' || p[1] == '*' || p[1] == '=')) &&
			    !new_piece(&pl, off, lineno)) {
				st = sr_error_set(err, SR_ERR_NOMEM, "cannot plan pieces: out of memory");
				goto out;
			}
			plan_line(&pl, p, n, off, lineno, has_msg(&hits, p, p + n, end));
			if (pl.oom) {
				st = sr_error_set(err, SR_ERR_NOMEM, "cannot plan pieces: out of memory");
				goto out;
			}
			prev_cut = pl.last_cut != NULL;
			/* a cut follows a line that the reader reads alone: not one
			 * a message cut, nor one it keeps unparsed (a write the
			 * program's output cut may go on); a full parse, but only
			 * of the lines before a possible cut */
			prev_splice = pl.splice || (off + n + 1 - pl.pc[pl.npc - 1].start >= piece_bytes &&
						    unparsed(&pl, p, n && p[n - 1] == '\r' ? n - 1 : n));
			p = nl ? nl + 1 : end;
		}
		base += (uint64_t)(p - buf);
		memmove(buf, p, (size_t)(end - p));
		hits = (struct msg_hits){ 0 };
		len = (size_t)(end - p);
		if (eof && len == 0)
			break;
	}
	st = make_plan(&pl, plan, base);
	if (st)
		sr_error_set(err, st, "cannot plan pieces: out of memory");
	else if (plan->n == 1) {
		free(plan->piece[0].spec); /* the whole file: no option needed */
		plan->piece[0].spec = NULL;
	}
out:
	if (st < 0)
		sr_plan_free(plan);
	planner_free(&pl);
	free(buf);
	sr_source_close(src);
	return st < 0 ? st : SR_OK;
}

void sr_plan_free(struct sr_plan *plan)
{
	if (!plan)
		return;
	for (size_t i = 0; i < plan->n; i++)
		free(plan->piece[i].spec);
	free(plan->piece);
	plan->piece = NULL;
	plan->n = 0;
}

/* ------------------------------------------------------------------ */
/* The spec, read back by the reader.                                  */

/* Room for the comma-separated items of s (one more than its commas). */
static void *items_alloc(const char *s, size_t size)
{
	size_t cap = 1;

	for (const char *c = s; *c; c++)
		cap += *c == ',';
	return calloc(cap, size);
}

static bool parse_calls(char *s, struct sr_piece_call **out, size_t *n)
{
	size_t k = 0;

	*out = items_alloc(s, sizeof(**out));
	if (!*out)
		return false;
	while (*s) {
		char *e, *colon;
		long long pid;

		errno = 0;
		pid = strtoll(s, &colon, 10);
		if (colon == s || *colon != ':' || errno)
			return false;
		e = colon + 1;
		while (*e && *e != ',')
			e++;
		(*out)[k++] = (struct sr_piece_call){ pid, { colon + 1, (size_t)(e - colon - 1) } };
		if (e == colon + 1)
			return false;
		s = *e ? e + 1 : e;
	}
	*n = k;
	return true;
}

static bool parse_ahead(char *s, struct sr_ahead **out, size_t *n)
{
	size_t k = 0;

	*out = items_alloc(s, sizeof(**out));
	if (!*out)
		return false;
	while (*s) {
		struct sr_ahead a = { 0 };
		char *e;
		char kind = *s++;

		errno = 0;
		a.pid = strtoll(s, &e, 10);
		if (e == s || errno)
			return false;
		if (kind == 'd') {
			a.kind = SR_AHEAD_DROP;
		} else if ((kind == 'r' || kind == 'p') && *e == ':') {
			s = e + 1;
			a.pid2 = strtoll(s, &e, 10);
			if (e == s || errno)
				return false;
			a.kind = kind == 'r' ? SR_AHEAD_RESUME : SR_AHEAD_REPID;
			if (kind == 'r') {
				if (a.pid < 0 || a.pid2 < 1)
					return false;
				a.off = (uint64_t)a.pid;
				a.line = (uint64_t)a.pid2;
			}
		} else {
			return false;
		}
		if (*e && *e != ',')
			return false;
		(*out)[k++] = a;
		s = *e ? e + 1 : e;
	}
	*n = k;
	return true;
}

enum sr_status sr_piece_spec_parse(struct sr_piece_spec *ps, const char *spec, struct sr_error *err)
{
	char *f[4], *s, *e;
	unsigned long long v[4];
	int last;

	memset(ps, 0, sizeof(*ps));
	ps->text = strdup(spec);
	if (!ps->text)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot open reader: out of memory");
	s = ps->text;
	for (int i = 0; i < 4; i++) {
		f[i] = s;
		e = strchr(s, ';');
		if (i < 3 && !e)
			goto bad;
		if (e)
			*e = '\0';
		s = e ? e + 1 : s + strlen(s);
	}
	for (int i = 0; i < 4; i++) {
		char *p = f[0];

		errno = 0;
		if (i == 3) {
			last = (int)strtol(p, &e, 10);
			if (e == p || *e || (last != 0 && last != 1))
				goto bad;
			break;
		}
		v[i] = strtoull(p, &e, 10);
		if (e == p || *e != ' ' || errno)
			goto bad;
		f[0] = e + 1;
	}
	ps->start = v[0];
	ps->end = v[1];
	ps->line = v[2];
	ps->last = last;
	if (ps->end < ps->start || ps->line < 1 || !parse_calls(f[1], &ps->open, &ps->nopen) ||
	    !parse_calls(f[2], &ps->close, &ps->nclose) ||
	    !parse_ahead(f[3], &ps->ahead, &ps->nahead))
		goto bad;
	return SR_OK;
bad:
	sr_piece_spec_free(ps);
	return sr_error_set(err, SR_ERR_USAGE,
			    "bad piece '%.60s': expected what sr_strace_plan_pieces() wrote", spec);
}

void sr_piece_spec_free(struct sr_piece_spec *ps)
{
	free(ps->open);
	free(ps->close);
	free(ps->ahead);
	free(ps->text);
	memset(ps, 0, sizeof(*ps));
}
