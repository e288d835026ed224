/*
 * report.c - the writer behind "sysrep report" (see sysrep.h: views): one
 * self-contained HTML page about a trace.
 *
 * The page must stay usable for traces of millions of events, so nothing
 * per event reaches it: everything is aggregated here, while the batches
 * stream by, into structures that grow with the number of distinct things
 * (syscall names, tasks, paths), not with the number of events:
 *
 *   - calls, errors, time and errnos per syscall name;
 *   - calls, errors and time per task, folded into processes at the end;
 *   - the 50 slowest calls (a min-heap);
 *   - the files and sockets touched: path arguments of the path-taking
 *     calls, -y fd annotations, and the addresses of connect, bind,
 *     sendto, recvfrom and accept (at most MAX_PATHS distinct names);
 *   - a timeline: calls per task in NBINS bins over the trace's span, the
 *     bins doubling in width whenever an event falls outside them.
 *
 * The page itself (core/report.html: CSS and vanilla JS, no network) is
 * compiled in as a string; the data goes into it as one JSON object inside
 * a <script type="application/json"> element, '<' escaped in its strings.
 */
#include <stdlib.h>
#include <string.h>

#include "evtime.h"
#include "jw.h"
#include "tree.h"

static const char page[] =
#include "report_html.h"
	;

#define DATA_MARK "<!--SYSREP-DATA-->"
#define NBINS 200
#define TOP_SLOW 50
#define SLOW_TEXT 300
#define MAX_PATHS 200000
#define OUT_PATHS 1000	 /* files and sockets written to the page */
#define OUT_PROCS 20000	 /* processes written to the page */
#define OUT_LANES 100	 /* processes with a timeline lane */
#define MAX_INPUTS 64
#define EVENT_NAMES 8	 /* names one event may touch, deduplicated */

enum { K_FILE = 0, K_SOCKET, K_PIPE, K_OTHER };
static const char *const kind_names[] = { "file", "socket", "pipe", "other" };

/* What a syscall name is for the files table: memoized per atom. */
enum { C_UNKNOWN = 0, C_NONE, C_PATH, C_ADDR };

struct sc_stat {
	const struct sr_atom *name; /* borrowed: the run's table outlives us */
	uint64_t calls, errors, timed;
	int64_t total_ns, max_ns;
	uint8_t cls;
};

/* Most tasks of a big trace make a few calls in a few bins: those keep
 * up to FEW_BINS (bin, count) pairs inline; a task that reaches more bins
 * gets all NBINS counters.  (NBINS counters for every task made 400,000
 * short-lived processes cost 320 MB.) */
#define FEW_BINS 4
_Static_assert(NBINS <= 256, "few_bin holds a bin index in a byte");

struct task_stat {
	uint64_t calls, errors;
	int64_t total_ns;
	uint32_t *bins; /* owned: NBINS, or NULL while the task fits few[] */
	uint32_t few[FEW_BINS];
	uint8_t few_bin[FEW_BINS];
	uint8_t nfew;
};

struct slow {
	int64_t dur, start;
	int32_t task;
	uint64_t line;
	char text[SLOW_TEXT + 4];
};

struct path_ent {
	const char *s; /* owned by the arena */
	uint32_t len;
	uint8_t kind;
	uint64_t calls, errors, first_line;
};

/* An open-addressing map of u64 keys to u64 counts (errnos per syscall). */
struct u64map {
	uint64_t *keys, *vals; /* owned; key 0 is empty: keys are stored + 1 */
	size_t cap, n;
};

struct sr_writer {
	struct sr_sink *out;  /* borrowed */
	struct sr_tree *tree; /* owned */
	struct sr_evclock clock;
	struct sr_intern *atoms; /* borrowed from the batches */
	int32_t *task_of;	 /* owned: per event of a batch */
	size_t task_cap;
	struct sc_stat *sc; /* owned: by atom id */
	size_t sc_cap;
	struct task_stat *ts; /* owned: by task index */
	size_t ts_cap;
	struct u64map errnos;
	struct slow slow[TOP_SLOW]; /* a min-heap on dur */
	size_t nslow;
	struct path_ent *paths; /* owned: open addressing, cap a power of two */
	size_t pcap, pn;
	uint64_t paths_dropped;
	struct sr_arena *arena; /* owned: path strings */
	int64_t t0, width;	/* the timeline's bins */
	bool have_t0;
	int64_t tmin, tmax;
	bool have_time;
	uint8_t axis;
	struct sr_counts counts;
	uint64_t calls, failed, timed_calls;
	int64_t total_ns;
	const char *inputs[MAX_INPUTS]; /* owned by the arena */
	size_t ninputs;
	struct sr_buf text; /* owned: scratch */
	/* names touched by the current event, for deduplication */
	const struct path_ent *seen[EVENT_NAMES];
	size_t nseen;
};

/* ------------------------------------------------------------------ */
/* Small maps                                                          */

static size_t hash_u64(uint64_t k, size_t cap)
{
	k *= 0x9e3779b97f4a7c15ull;
	return (size_t)(k >> 29) & (cap - 1);
}

static bool u64map_add(struct u64map *m, uint64_t key, uint64_t v)
{
	size_t i;

	key++;
	if (2 * (m->n + 1) > m->cap) {
		size_t ncap = m->cap ? 2 * m->cap : 64;
		uint64_t *nk = calloc(ncap, sizeof(*nk)), *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return false;
		}
		for (size_t j = 0; j < m->cap; j++) {
			if (!m->keys[j])
				continue;
			for (i = hash_u64(m->keys[j], ncap); nk[i]; i = (i + 1) & (ncap - 1))
				;
			nk[i] = m->keys[j];
			nv[i] = m->vals[j];
		}
		free(m->keys);
		free(m->vals);
		m->keys = nk;
		m->vals = nv;
		m->cap = ncap;
	}
	for (i = hash_u64(key, m->cap); m->keys[i] && m->keys[i] != key; i = (i + 1) & (m->cap - 1))
		;
	if (!m->keys[i]) {
		m->keys[i] = key;
		m->n++;
	}
	m->vals[i] += v;
	return true;
}

static uint64_t hash_str(const char *s, size_t n, uint8_t kind)
{
	uint64_t h = 1469598103934665603ull ^ kind;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/* The entry of (kind, s), created; NULL when full or out of memory. */
static struct path_ent *path_get(struct sr_writer *w, uint8_t kind, const char *s, size_t n)
{
	size_t i;

	if (2 * (w->pn + 1) > w->pcap) {
		size_t ncap = w->pcap ? 2 * w->pcap : 1024;
		struct path_ent *np;

		if (w->pn >= MAX_PATHS)
			goto full;
		np = calloc(ncap, sizeof(*np));
		if (!np)
			return NULL;
		for (size_t j = 0; j < w->pcap; j++) {
			const struct path_ent *e = &w->paths[j];

			if (!e->s)
				continue;
			for (i = hash_str(e->s, e->len, e->kind) & (ncap - 1); np[i].s;
			     i = (i + 1) & (ncap - 1))
				;
			np[i] = *e;
		}
		free(w->paths);
		w->paths = np;
		w->pcap = ncap;
	}
full:
	if (!w->pcap)
		return NULL;
	for (i = hash_str(s, n, kind) & (w->pcap - 1); w->paths[i].s; i = (i + 1) & (w->pcap - 1)) {
		const struct path_ent *e = &w->paths[i];

		if (e->kind == kind && e->len == n && !memcmp(e->s, s, n))
			return &w->paths[i];
	}
	if (w->pn >= MAX_PATHS || 2 * (w->pn + 1) > w->pcap) {
		w->paths_dropped++;
		return NULL;
	}
	w->paths[i].s = sr_arena_memdup(w->arena, s, n);
	if (!w->paths[i].s)
		return NULL;
	w->paths[i].len = (uint32_t)n;
	w->paths[i].kind = kind;
	w->pn++;
	return &w->paths[i];
}

/* ------------------------------------------------------------------ */
/* Open, close                                                         */

static enum sr_status report_open(struct sr_writer **wp, struct sr_sink *out,
				  const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));

	(void)opts;
	*wp = NULL;
	if (!w || sr_tree_new(&w->tree) < 0 || !(w->arena = sr_arena_new(0))) {
		if (w)
			sr_tree_free(w->tree);
		free(w);
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start the report: out of memory");
	}
	if (!strstr(page, DATA_MARK)) {
		sr_tree_free(w->tree);
		sr_arena_free(w->arena);
		free(w);
		return sr_error_set(err, SR_ERR_FORMAT, "report: the page template has no data mark");
	}
	w->out = out;
	sr_evclock_init(&w->clock);
	*wp = w;
	return SR_OK;
}

static void report_close(struct sr_writer *w)
{
	if (!w)
		return;
	sr_tree_free(w->tree);
	free(w->task_of);
	free(w->sc);
	for (size_t i = 0; i < w->ts_cap; i++)
		free(w->ts[i].bins);
	free(w->ts);
	free(w->errnos.keys);
	free(w->errnos.vals);
	free(w->paths);
	sr_arena_free(w->arena);
	sr_buf_free(&w->text);
	free(w);
}

/* ------------------------------------------------------------------ */
/* Aggregation                                                         */

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 64;
	void *n;

	if (need <= *cap)
		return true;
	while (ncap < need)
		ncap *= 2;
	n = realloc(*p, ncap * size);
	if (!n)
		return false;
	memset((char *)n + *cap * size, 0, (ncap - *cap) * size);
	*p = n;
	*cap = ncap;
	return true;
}

/* Calls that name files by path: every string argument is a path. */
static const char *const path_calls[] = {
	"access", "acct", "chdir", "chmod", "chown", "chroot", "creat", "execve", "execveat",
	"faccessat", "faccessat2", "fanotify_mark", "fchmodat", "fchmodat2", "fchownat",
	"fstatat64", "futimesat", "getxattr", "inotify_add_watch", "lchown", "lgetxattr", "link",
	"linkat", "listxattr", "llistxattr", "lremovexattr", "lsetxattr", "lstat", "lstat64",
	"mkdir", "mkdirat", "mknod", "mknodat", "mount", "name_to_handle_at", "newfstatat", "open",
	"open_tree", "openat", "openat2", "readlink", "readlinkat", "removexattr", "rename",
	"renameat", "renameat2", "rmdir", "setxattr", "stat", "stat64", "statfs", "statfs64",
	"statx", "swapon", "symlink", "symlinkat", "truncate", "truncate64", "umount2", "unlink",
	"unlinkat", "uselib", "utime", "utimensat", "utimes",
};

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static uint8_t classify(const char *name)
{
	static const char *const addr_calls[] = { "accept", "accept4", "bind", "connect",
						  "recvfrom", "sendto" };

	if (bsearch(&name, path_calls, sizeof(path_calls) / sizeof(path_calls[0]),
		    sizeof(path_calls[0]), cmp_name))
		return C_PATH;
	if (bsearch(&name, addr_calls, sizeof(addr_calls) / sizeof(addr_calls[0]),
		    sizeof(addr_calls[0]), cmp_name))
		return C_ADDR;
	return C_NONE;
}

static void touch(struct sr_writer *w, uint8_t kind, const char *s, size_t n,
		  const struct sr_event *ev)
{
	struct path_ent *e;

	if (!n)
		return;
	e = path_get(w, kind, s, n);
	if (!e)
		return;
	for (size_t i = 0; i < w->nseen; i++)
		if (w->seen[i] == e)
			return;
	if (w->nseen < EVENT_NAMES)
		w->seen[w->nseen++] = e;
	if (!e->calls)
		e->first_line = ev->line;
	e->calls++;
	if (ev->err)
		e->errors++;
}

/* An fd annotation (-y): "/etc/passwd", "socket:[123]", "TCP:[1.2.3.4:5->...]". */
static void touch_fd(struct sr_writer *w, const struct sr_value *fd, const struct sr_event *ev)
{
	static const char *const socks[] = { "socket:", "TCP", "UDP", "UNIX", "NETLINK",
					     "RAW",	"SCTP", "PACKET", "L2TP" };
	char buf[512];
	size_t n = fd->text.len < sizeof(buf) ? fd->text.len : sizeof(buf);
	uint8_t kind = K_OTHER;

	if (!fd->text.len)
		return;
	/* AT_FDCWD</home/x>: the working directory the call resolves a
	 * relative path against, not a file the call touches */
	if (fd->nkids && ((fd->kids[0].kind == SR_V_IDENT &&
			   fd->kids[0].text.len == 8 && !memcmp(fd->kids[0].text.ptr, "AT_FDCWD", 8)) ||
			  (fd->kids[0].kind == SR_V_INT && fd->kids[0].num.i == -100)))
		return;
	n = sr_json_cunescape(buf, fd->text.ptr, n);
	if (buf[0] == '/')
		kind = K_FILE;
	else if (n > 5 && !memcmp(buf, "pipe:", 5))
		kind = K_PIPE;
	else
		for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++)
			if (!strncmp(buf, socks[i], strlen(socks[i])))
				kind = K_SOCKET;
	touch(w, kind, buf, n, ev);
}

static const struct sr_value *member(const struct sr_value *v, const char *name)
{
	return v->kind == SR_V_STRUCT ? sr_value_member(v->kids, v->nkids, name) : NULL;
}

/* The first string or integer inside v (htons(80), inet_addr("1.2.3.4")). */
static const struct sr_value *leaf(const struct sr_value *v, uint8_t kind)
{
	for (int depth = 0; v && depth < 4; depth++) {
		if (v->kind == kind)
			return v;
		if (v->kind != SR_V_CALL)
			return NULL;
		for (uint32_t i = 0; i < v->nkids; i++)
			if (v->kids[i].kind == kind)
				return &v->kids[i];
		v = v->nkids ? &v->kids[0] : NULL;
	}
	return NULL;
}

/* A socket address as "inet 1.2.3.4:80", "inet6 [::1]:80", "unix /run/x". */
static void touch_addr(struct sr_writer *w, const struct sr_value *a, const struct sr_event *ev)
{
	const struct sr_value *fam, *port, *ip, *path;
	struct sr_buf *t = &w->text;

	if (a->kind == SR_V_CHANGED && a->nkids == 2)
		a = &a->kids[1];
	fam = member(a, "sa_family");
	if (!fam)
		return;
	t->len = 0;
	if (fam->kind == SR_V_IDENT && fam->text.len == 7 && !memcmp(fam->text.ptr, "AF_UNIX", 7)) {
		path = member(a, "sun_path");
		sr_buf_add(t, "unix ", 5);
		if (path && path->kind == SR_V_STR) {
			if (path->flags & SR_VF_ABSTRACT)
				sr_buf_addc(t, '@');
			sr_buf_adds(t, path->text);
		} else {
			sr_buf_add(t, "(unnamed)", 9);
		}
	} else if ((port = leaf(member(a, "sin_port"), SR_V_INT)) &&
		   (ip = leaf(member(a, "sin_addr"), SR_V_STR))) {
		char num[SR_JSON_INT_MAX];

		sr_buf_add(t, "inet ", 5);
		sr_buf_adds(t, ip->text);
		sr_buf_addc(t, ':');
		sr_buf_add(t, num, (size_t)(sr_json_u64(num, port->num.u) - num));
	} else if ((port = leaf(member(a, "sin6_port"), SR_V_INT)) &&
		   (ip = leaf(member(a, "sin6_addr"), SR_V_STR))) {
		char num[SR_JSON_INT_MAX];

		sr_buf_add(t, "inet6 [", 7);
		sr_buf_adds(t, ip->text);
		sr_buf_add(t, "]:", 2);
		sr_buf_add(t, num, (size_t)(sr_json_u64(num, port->num.u) - num));
	} else {
		sr_strace_print_value(t, a);
		if (t->len > 200)
			t->len = 200;
	}
	touch(w, K_SOCKET, t->p, t->len, ev);
}

static void note_names(struct sr_writer *w, struct sc_stat *s, const struct sr_event *ev)
{
	w->nseen = 0;
	if (!(ev->flags & SR_EF_ORPHAN)) {
		if (s->cls == C_PATH) {
			for (uint32_t i = 0; i < ev->nargs; i++)
				if (ev->args[i].kind == SR_V_STR && !(ev->args[i].flags & SR_VF_TRUNC))
					touch(w, K_FILE, ev->args[i].text.ptr, ev->args[i].text.len, ev);
		} else if (s->cls == C_ADDR) {
			static const uint32_t at[] = { 1, 4 };
			uint32_t i = ev->name->str[0] == 's' || ev->name->str[0] == 'r' ? at[1] : at[0];

			if (i < ev->nargs && !(ev->err && (ev->name->str[0] == 'a' || ev->name->str[0] == 'r')))
				touch_addr(w, &ev->args[i], ev);
		}
	}
	for (uint32_t i = 0; i < ev->nargs; i++)
		if (ev->args[i].kind == SR_V_FD)
			touch_fd(w, &ev->args[i], ev);
	if (ev->ret && ev->ret->kind == SR_V_FD)
		touch_fd(w, ev->ret, ev);
}

/* The call as strace prints it, cut, into the slot. */
static void slow_text(struct sr_writer *w, struct slow *s, const struct sr_event *ev)
{
	struct sr_buf *t = &w->text;
	size_t n;

	t->len = 0;
	sr_strace_print_call_open(t, ev);
	sr_buf_add(t, ") = ", 4);
	if (ev->ret)
		sr_strace_print_value(t, ev->ret);
	else
		sr_buf_addc(t, '?');
	if (ev->err) {
		sr_buf_addc(t, ' ');
		sr_buf_add(t, ev->err->str, ev->err->len);
	}
	n = t->len < SLOW_TEXT ? t->len : SLOW_TEXT;
	memcpy(s->text, t->p ? t->p : "", n);
	if (t->len > SLOW_TEXT)
		memcpy(s->text + n, "...", 3), n += 3;
	s->text[n] = '\0';
}

static void heap_down(struct slow *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		struct slow tmp;

		if (l < n && h[l].dur < h[m].dur)
			m = l;
		if (l + 1 < n && h[l + 1].dur < h[m].dur)
			m = l + 1;
		if (m == i)
			return;
		tmp = h[i];
		h[i] = h[m];
		h[m] = tmp;
		i = m;
	}
}

static void note_slow(struct sr_writer *w, const struct sr_event *ev, int32_t task, int64_t start,
		      int64_t dur)
{
	struct slow *s;

	if (w->nslow == TOP_SLOW && dur <= w->slow[0].dur)
		return;
	if (w->nslow < TOP_SLOW) {
		/* sift up */
		size_t i = w->nslow++;

		while (i && w->slow[(i - 1) / 2].dur > dur) {
			w->slow[i] = w->slow[(i - 1) / 2];
			i = (i - 1) / 2;
		}
		s = &w->slow[i];
	} else {
		s = &w->slow[0];
	}
	s->dur = dur;
	s->start = start;
	s->task = task;
	s->line = ev->line;
	slow_text(w, s, ev);
	if (s == &w->slow[0])
		heap_down(w->slow, w->nslow, 0);
}

/* One more call in bin i of a task. */
static bool bin_add(struct task_stat *ts, size_t i)
{
	if (ts->bins) {
		ts->bins[i]++;
		return true;
	}
	for (uint8_t j = 0; j < ts->nfew; j++)
		if (ts->few_bin[j] == i) {
			ts->few[j]++;
			return true;
		}
	if (ts->nfew < FEW_BINS) {
		ts->few_bin[ts->nfew] = (uint8_t)i;
		ts->few[ts->nfew++] = 1;
		return true;
	}
	if (!(ts->bins = calloc(NBINS, sizeof(*ts->bins))))
		return false;
	for (uint8_t j = 0; j < ts->nfew; j++)
		ts->bins[ts->few_bin[j]] += ts->few[j];
	ts->nfew = 0;
	ts->bins[i]++;
	return true;
}

/* Adds a task's bins to NBINS counters. */
static void bins_sum(uint32_t *dst, const struct task_stat *ts)
{
	if (ts->bins)
		for (size_t b = 0; b < NBINS; b++)
			dst[b] += ts->bins[b];
	for (uint8_t j = 0; j < ts->nfew; j++)
		dst[ts->few_bin[j]] += ts->few[j];
}

/* The timeline: bins of w->width ns from w->t0; doubled until t fits. */
static void bins_merge(struct sr_writer *w, bool left)
{
	for (size_t i = 0; i < w->ts_cap; i++) {
		struct task_stat *ts = &w->ts[i];
		uint32_t *b = ts->bins, tmp[NBINS];
		uint8_t n = 0;

		for (uint8_t j = 0; j < ts->nfew; j++) { /* in place: n <= j */
			uint8_t to = (uint8_t)((left ? NBINS / 2 : 0) + ts->few_bin[j] / 2), k;
			uint32_t c = ts->few[j];

			for (k = 0; k < n && ts->few_bin[k] != to; k++)
				;
			if (k == n) {
				ts->few_bin[n] = to;
				ts->few[n++] = 0;
			}
			ts->few[k] += c;
		}
		ts->nfew = n;
		if (!b)
			continue;
		memset(tmp, 0, sizeof(tmp));
		for (size_t j = 0; j < NBINS / 2; j++)
			tmp[(left ? NBINS / 2 : 0) + j] = b[2 * j] + b[2 * j + 1];
		memcpy(b, tmp, sizeof(tmp));
	}
	if (left)
		w->t0 -= NBINS * w->width;
	w->width *= 2;
}

static bool note_bin(struct sr_writer *w, int32_t task, int64_t t)
{
	struct task_stat *ts = &w->ts[task];
	int64_t i;

	if (!w->have_t0) {
		w->t0 = t;
		w->width = 1000;
		w->have_t0 = true;
	}
	while (t < w->t0 && w->width < INT64_MAX / (8 * NBINS))
		bins_merge(w, true);
	while (t - w->t0 >= NBINS * w->width && w->width < INT64_MAX / (8 * NBINS))
		bins_merge(w, false);
	i = (t - w->t0) / w->width;
	return bin_add(ts, (size_t)(i < 0 ? 0 : i >= NBINS ? NBINS - 1 : i));
}

static enum sr_status add_call(struct sr_writer *w, const struct sr_event *ev, int32_t task,
			       int64_t start, int64_t dur, enum sr_axis axis)
{
	struct sc_stat *s;
	struct task_stat *ts;

	if (!grow((void **)&w->sc, &w->sc_cap, ev->name->id + 1, sizeof(*w->sc)) ||
	    !grow((void **)&w->ts, &w->ts_cap, (size_t)task + 1, sizeof(*w->ts)))
		return SR_ERR_NOMEM;
	s = &w->sc[ev->name->id];
	ts = &w->ts[task];
	if (!s->name) {
		s->name = ev->name;
		s->cls = classify(ev->name->str);
	}
	w->calls++;
	s->calls++;
	ts->calls++;
	if (ev->err) {
		w->failed++;
		s->errors++;
		ts->errors++;
		if (!u64map_add(&w->errnos, (uint64_t)ev->name->id << 32 | ev->err->id, 1))
			return SR_ERR_NOMEM;
	}
	if (dur >= 0) {
		w->timed_calls++;
		s->timed++;
		s->total_ns += dur;
		w->total_ns += dur;
		ts->total_ns += dur;
		if (dur > s->max_ns)
			s->max_ns = dur;
		if (axis != SR_AXIS_SEQ || ev->duration.clock != SR_CLOCK_NONE)
			note_slow(w, ev, task, start, dur);
	}
	note_names(w, s, ev);
	return note_bin(w, task, start) ? SR_OK : SR_ERR_NOMEM;
}

static void note_input(struct sr_writer *w, const char *name)
{
	if (!name || (w->ninputs && !strcmp(w->inputs[w->ninputs - 1], name)))
		return;
	for (size_t i = 0; i < w->ninputs; i++)
		if (!strcmp(w->inputs[i], name))
			return;
	if (w->ninputs < MAX_INPUTS)
		w->inputs[w->ninputs++] = sr_arena_memdup(w->arena, name, strlen(name));
	if (w->ninputs && !w->inputs[w->ninputs - 1])
		w->ninputs--;
}

static enum sr_status report_write(struct sr_writer *w, const struct sr_batch *b,
				   struct sr_error *err)
{
	enum sr_status st;

	note_input(w, b->source);
	w->atoms = b->atoms;
	sr_counts_add(&w->counts, b);
	if (!grow((void **)&w->task_of, &w->task_cap, b->n, sizeof(*w->task_of)))
		return sr_error_set(err, SR_ERR_NOMEM, "report: out of memory");
	st = sr_tree_add(w->tree, b, w->task_of);
	if (st < 0)
		return sr_error_set(err, st, "report: out of memory");
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		int64_t start, dur;
		enum sr_axis axis = sr_evclock_place(&w->clock, ev, &start, &dur);

		if (w->task_of[i] < 0)
			continue;
		if (axis != SR_AXIS_SEQ) {
			w->axis = (uint8_t)axis;
			if (!w->have_time || start < w->tmin)
				w->tmin = start;
			if (!w->have_time || start + (dur > 0 ? dur : 0) > w->tmax)
				w->tmax = start + (dur > 0 ? dur : 0);
			w->have_time = true;
		}
		if (ev->kind != SR_E_SYSCALL || !ev->name)
			continue;
		if (add_call(w, ev, w->task_of[i], start, dur, axis) < 0)
			return sr_error_set(err, SR_ERR_NOMEM, "report: out of memory");
	}
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* The data                                                            */

struct proc_row {
	int32_t task; /* the leader */
	uint64_t calls, errors;
	int64_t total_ns;
};

static int by_calls(const void *a, const void *b)
{
	const struct proc_row *x = a, *y = b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->task - y->task;
}

static int by_dur(const void *a, const void *b)
{
	const struct slow *x = a, *y = b;

	return x->dur < y->dur ? 1 : x->dur > y->dur ? -1 : 0;
}

static int by_path_calls(const void *a, const void *b)
{
	const struct path_ent *x = *(const struct path_ent *const *)a;
	const struct path_ent *y = *(const struct path_ent *const *)b;

	if (x->calls != y->calls)
		return x->calls < y->calls ? 1 : -1;
	return x->first_line < y->first_line ? -1 : x->first_line > y->first_line;
}

struct pair {
	uint64_t key, n;
};

static int by_pair(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;

	if (x->key >> 32 != y->key >> 32)
		return x->key >> 32 < y->key >> 32 ? -1 : 1;
	return x->n < y->n ? 1 : x->n > y->n ? -1 : 0;
}

/* A time on the axis, in seconds from the trace's start. */
static void put_rel(struct sr_jw *j, const struct sr_writer *w, int64_t t)
{
	sr_jw_secs(j, t - (w->have_time ? w->tmin : 0));
}

static void put_syscalls(struct sr_jw *j, struct sr_writer *w)
{
	struct pair *pairs = NULL;
	size_t np = 0, at = 0;
	bool first = true;

	if (w->errnos.n && (pairs = malloc(w->errnos.n * sizeof(*pairs)))) {
		for (size_t i = 0; i < w->errnos.cap; i++)
			if (w->errnos.keys[i])
				pairs[np++] = (struct pair){ w->errnos.keys[i] - 1, w->errnos.vals[i] };
		qsort(pairs, np, sizeof(*pairs), by_pair);
	} else if (w->errnos.n) {
		j->oom = true;
	}
	sr_jw_puts(j, ",\"syscalls\":[");
	for (size_t i = 0; i < w->sc_cap; i++) {
		const struct sc_stat *s = &w->sc[i];
		int shown = 0;

		if (!s->name)
			continue;
		sr_jw_puts(j, first ? "{\"name\":" : ",{\"name\":");
		first = false;
		sr_jw_str(j, s->name->str, s->name->len);
		sr_jw_puts(j, ",\"calls\":");
		sr_jw_u64(j, s->calls);
		sr_jw_puts(j, ",\"errors\":");
		sr_jw_u64(j, s->errors);
		if (s->timed) {
			sr_jw_puts(j, ",\"time\":");
			sr_jw_secs(j, s->total_ns);
			sr_jw_puts(j, ",\"max\":");
			sr_jw_secs(j, s->max_ns);
			sr_jw_puts(j, ",\"timed\":");
			sr_jw_u64(j, s->timed);
		}
		sr_jw_puts(j, ",\"errnos\":[");
		while (at < np && (pairs[at].key >> 32) < i)
			at++;
		for (; at < np && (pairs[at].key >> 32) == i; at++) {
			const struct sr_atom *e =
				sr_intern_at(w->atoms, (uint32_t)(pairs[at].key & 0xffffffffu));

			if (!e || shown == 5)
				continue;
			if (shown++)
				sr_jw_c(j, ',');
			sr_jw_c(j, '[');
			sr_jw_str(j, e->str, e->len);
			sr_jw_c(j, ',');
			sr_jw_u64(j, pairs[at].n);
			sr_jw_c(j, ']');
		}
		sr_jw_puts(j, "]}");
	}
	sr_jw_c(j, ']');
	free(pairs);
}

static bool put_procs(struct sr_jw *j, struct sr_writer *w)
{
	size_t n = sr_tree_count(w->tree), np = 0;
	struct proc_row *rows = calloc(n + 1, sizeof(*rows));
	int32_t *row_of = calloc(n + 1, sizeof(*row_of));
	uint32_t bins[NBINS];
	bool ok = rows && row_of;

	for (int32_t i = 0; ok && (size_t)i < n; i++)
		if (sr_tree_at(w->tree, i)->leader == i) {
			row_of[i] = (int32_t)np;
			rows[np++].task = i;
		}
	for (int32_t i = 0; ok && (size_t)i < n && (size_t)i < w->ts_cap; i++) {
		const struct task_stat *ts = &w->ts[i];
		struct proc_row *r = &rows[row_of[sr_tree_at(w->tree, i)->leader]];

		r->calls += ts->calls;
		r->errors += ts->errors;
		r->total_ns += ts->total_ns;
	}
	if (ok)
		qsort(rows, np, sizeof(*rows), by_calls);
	sr_jw_puts(j, ",\"procs_total\":");
	sr_jw_u64(j, np);
	sr_jw_puts(j, ",\"procs\":[");
	for (size_t r = 0; ok && r < np && r < OUT_PROCS; r++) {
		const struct sr_tree_task *k = sr_tree_at(w->tree, rows[r].task);
		const struct sr_tree_exec *x = sr_tree_last_exec(w->tree, rows[r].task);
		const char *name;
		size_t len;

		sr_jw_puts(j, r ? ",{\"pid\":" : "{\"pid\":");
		if (k->tid < 0)
			sr_jw_puts(j, "null");
		else
			sr_jw_i64(j, k->tid);
		sr_jw_puts(j, ",\"parent\":");
		if (k->parent >= 0)
			sr_jw_i64(j, sr_tree_at(w->tree, k->parent)->tid);
		else
			sr_jw_puts(j, "null");
		name = sr_tree_name(w->tree, rows[r].task, &len);
		sr_jw_puts(j, ",\"name\":");
		sr_jw_str(j, name ? name : "?", name ? len : 1);
		sr_jw_puts(j, ",\"cmd\":");
		w->text.len = 0;
		if (x)
			sr_tree_command(&w->text, x);
		sr_jw_str(j, w->text.p ? w->text.p : "", w->text.len < 400 ? w->text.len : 400);
		sr_jw_puts(j, ",\"calls\":");
		sr_jw_u64(j, rows[r].calls);
		sr_jw_puts(j, ",\"errors\":");
		sr_jw_u64(j, rows[r].errors);
		sr_jw_puts(j, ",\"time\":");
		sr_jw_secs(j, rows[r].total_ns);
		sr_jw_puts(j, ",\"threads\":");
		sr_jw_u64(j, k->nthreads);
		sr_jw_puts(j, ",\"exit\":");
		if (k->end == SR_TREE_EXITED) {
			w->text.len = 0;
			sr_jw_c(j, '"');
			sr_jw_i64(j, k->status);
			sr_jw_c(j, '"');
		} else if (k->end == SR_TREE_KILLED) {
			sr_jw_cstr(j, k->signal ? k->signal : "?");
		} else {
			sr_jw_puts(j, "null");
		}
		if (k->first_ns >= 0) {
			sr_jw_puts(j, ",\"start\":");
			put_rel(j, w, k->first_ns);
			sr_jw_puts(j, ",\"end\":");
			put_rel(j, w, k->last_ns);
		}
		/* the timeline of the first OUT_LANES: the group's tasks' bins */
		if (r < OUT_LANES && rows[r].calls) {
			memset(bins, 0, sizeof(bins));
			if ((size_t)rows[r].task < w->ts_cap)
				bins_sum(bins, &w->ts[rows[r].task]);
			for (uint32_t t = 0; t < k->nthreads; t++)
				if ((size_t)k->threads[t] < w->ts_cap)
					bins_sum(bins, &w->ts[k->threads[t]]);
			sr_jw_puts(j, ",\"bins\":[");
			for (size_t b = 0; b < NBINS; b++) {
				if (b)
					sr_jw_c(j, ',');
				sr_jw_u64(j, bins[b]);
			}
			sr_jw_c(j, ']');
		}
		sr_jw_c(j, '}');
		sr_jw_spill(j);
	}
	sr_jw_c(j, ']');
	free(rows);
	free(row_of);
	return ok;
}

static void put_slow(struct sr_jw *j, struct sr_writer *w)
{
	qsort(w->slow, w->nslow, sizeof(w->slow[0]), by_dur);
	sr_jw_puts(j, ",\"slow\":[");
	for (size_t i = 0; i < w->nslow; i++) {
		const struct slow *s = &w->slow[i];
		const struct sr_tree_task *k = sr_tree_at(w->tree, s->task);

		sr_jw_puts(j, i ? ",{\"dur\":" : "{\"dur\":");
		sr_jw_secs(j, s->dur);
		sr_jw_puts(j, ",\"at\":");
		put_rel(j, w, s->start);
		sr_jw_puts(j, ",\"pid\":");
		sr_jw_i64(j, sr_tree_pid(w->tree, s->task));
		sr_jw_puts(j, ",\"tid\":");
		sr_jw_i64(j, k ? k->tid : -1);
		sr_jw_puts(j, ",\"call\":");
		sr_jw_cstr(j, s->text);
		sr_jw_puts(j, ",\"line\":");
		sr_jw_u64(j, s->line);
		sr_jw_c(j, '}');
	}
	sr_jw_c(j, ']');
	w->nslow = 0; /* no longer a heap */
}

static bool put_paths(struct sr_jw *j, struct sr_writer *w)
{
	const struct path_ent **v = malloc((w->pn + 1) * sizeof(*v));
	size_t n = 0, per_kind[4] = { 0 };

	if (!v)
		return false;
	for (size_t i = 0; i < w->pcap; i++)
		if (w->paths[i].s) {
			v[n++] = &w->paths[i];
			per_kind[w->paths[i].kind]++;
		}
	qsort(v, n, sizeof(*v), by_path_calls);
	sr_jw_puts(j, ",\"paths_total\":{");
	for (int k = 0; k < 4; k++) {
		sr_jw_key(j, kind_names[k], !k);
		sr_jw_u64(j, per_kind[k]);
	}
	sr_jw_puts(j, "},\"paths_dropped\":");
	sr_jw_u64(j, w->paths_dropped);
	sr_jw_puts(j, ",\"paths\":[");
	for (size_t i = 0; i < n && i < OUT_PATHS; i++) {
		sr_jw_puts(j, i ? ",{\"kind\":\"" : "{\"kind\":\"");
		sr_jw_puts(j, kind_names[v[i]->kind]);
		sr_jw_puts(j, "\",\"name\":");
		sr_jw_str(j, v[i]->s, v[i]->len);
		sr_jw_puts(j, ",\"calls\":");
		sr_jw_u64(j, v[i]->calls);
		sr_jw_puts(j, ",\"errors\":");
		sr_jw_u64(j, v[i]->errors);
		sr_jw_puts(j, ",\"line\":");
		sr_jw_u64(j, v[i]->first_line);
		sr_jw_c(j, '}');
		sr_jw_spill(j);
	}
	sr_jw_c(j, ']');
	free(v);
	return true;
}

static bool put_data(struct sr_jw *j, struct sr_writer *w)
{
	const struct sr_counts *c = &w->counts;
	bool ok = true;

	sr_jw_puts(j, "{\"generator\":\"sysrep " SR_VERSION "\",\"inputs\":[");
	for (size_t i = 0; i < w->ninputs; i++) {
		if (i)
			sr_jw_c(j, ',');
		sr_jw_cstr(j, w->inputs[i]);
	}
	sr_jw_puts(j, "],\"lines\":");
	sr_jw_u64(j, c->lines);
	sr_jw_puts(j, ",\"events\":");
	sr_jw_u64(j, c->events);
	sr_jw_puts(j, ",\"unparsed\":");
	sr_jw_u64(j, c->unparsed);
	sr_jw_puts(j, ",\"kinds\":{");
	for (int k = 1; k < SR_E__COUNT; k++) {
		sr_jw_key(j, sr_ekind_name(k), k == 1);
		sr_jw_u64(j, c->by_kind[k]);
	}
	sr_jw_puts(j, "},\"calls\":");
	sr_jw_u64(j, w->calls);
	sr_jw_puts(j, ",\"failed\":");
	sr_jw_u64(j, w->failed);
	sr_jw_puts(j, ",\"timed_calls\":");
	sr_jw_u64(j, w->timed_calls);
	sr_jw_puts(j, ",\"call_time\":");
	sr_jw_secs(j, w->total_ns);
	sr_jw_puts(j, ",\"clock\":\"");
	sr_jw_puts(j, sr_axis_name(w->have_time ? w->axis : SR_AXIS_SEQ));
	sr_jw_puts(j, "\",\"span\":");
	sr_jw_secs(j, w->have_time ? w->tmax - w->tmin : 0);
	if (w->have_time) {
		sr_jw_puts(j, ",\"start\":");
		sr_jw_secs(j, w->tmin);
	}
	/* the bins' start, relative to the trace's start, and width */
	sr_jw_puts(j, ",\"bins\":{\"n\":");
	sr_jw_u64(j, NBINS);
	sr_jw_puts(j, ",\"t0\":");
	put_rel(j, w, w->have_t0 ? w->t0 : 0);
	sr_jw_puts(j, ",\"width\":");
	sr_jw_secs(j, w->have_t0 ? w->width : 0);
	sr_jw_c(j, '}');
	put_syscalls(j, w);
	ok &= put_procs(j, w);
	put_slow(j, w);
	ok &= put_paths(j, w);
	sr_jw_puts(j, ",\"tree\":");
	ok &= sr_tree_render_json(w->tree, j);
	sr_jw_puts(j, "}");
	return ok && !j->oom;
}

static enum sr_status report_finish(struct sr_writer *w, struct sr_error *err)
{
	/* the data streams into the page (jw.h): the tree of 400,000
	 * processes alone is 75 MB of JSON */
	struct sr_jw j = { .html = true, .out = w->out };
	const char *mark = strstr(page, DATA_MARK);
	bool ok;

	if (sr_tree_finish(w->tree) < 0)
		return sr_error_set(err, SR_ERR_NOMEM, "report: out of memory");
	sr_sink_write(w->out, page, (size_t)(mark - page));
	ok = put_data(&j, w);
	sr_jw_drain(&j);
	if (ok) {
		mark += strlen(DATA_MARK);
		sr_sink_write(w->out, mark, strlen(mark));
	}
	sr_buf_free(&j.b);
	if (!ok)
		return sr_error_set(err, SR_ERR_NOMEM, "report: out of memory");
	return SR_OK;
}

const struct sr_writer_class sr_view_report = {
	.name = "report",
	.ext = ".html",
	.summary = "a self-contained HTML report (sysrep report)",
	.open = report_open,
	.write = report_write,
	.finish = report_finish,
	.close = report_close,
};
