/*
 * out_seq.c - syscall sequences per process, for intrusion-detection
 * research (Forrest and Hofmeyr's sequences of system calls, the UNM and
 * ADFA-LD datasets).  docs/seq.md describes the output; in short:
 *
 *	layout=lines  "PID: n n n" per process (the default)
 *	layout=adfa   one file per process in dir=DIR, numbers on one line
 *	layout=unm    "PID NR" per call, in trace order
 *	window=K      the distinct windows of K calls per process with counts
 *	              (CSV, or format=jsonl); with lookahead, Forrest's
 *	              lookahead pairs (call, call d later, d) for d < K
 *
 * Which calls count: every SYSCALL event, once, at the place where the call
 * started.  A call cut by "<unfinished ...>" is entered at its UNFINISHED
 * marker and confirmed by its SYSCALL (RESUMED) event; a start whose
 * resumption never comes (the task was killed or detached in the call) is
 * dropped, so the calls written are exactly the SYSCALL events.  Signals,
 * exits and unparsed lines are not calls.
 *
 * Processes: with by=tid a sequence per task as printed (strace -f prints
 * thread ids).  With by=pid (the default) threads join the sequence of
 * their thread group, as far as the trace shows it: a clone or clone3 with
 * CLONE_THREAD returning T puts T in the caller's group.  Threads whose
 * creation is not in the trace (attached with -p, or created before
 * tracing) cannot be placed and stay sequences of their own.  A tid seen
 * again after its "+++ exited" is a new process (tid reuse).  The inputs of
 * one run are taken as parts of one trace (as strace -ff writes them).
 *
 * Everything is kept until finish(): the group of a thread is known only
 * once its clone returns (the new thread often runs first), and a call's
 * place only once its resumption is seen.  Memory is a log of 6 bytes per
 * call (task index, 16-bit symbol) plus, at finish, 2 bytes per call.
 * Symbols are small dense ids, given in order of first sight, standing for
 * a syscall number or (with names) a name.
 */
#include <errno.h>
#include <unistd.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sysrep.h"

enum layout { LAYOUT_LINES, LAYOUT_ADFA, LAYOUT_UNM };

#define SYM_NONE UINT16_MAX /* a dropped call (started, never finished) */
#define MAX_SYMS UINT16_MAX /* symbols are 0 .. MAX_SYMS - 1 */
#define NO_TASK UINT32_MAX
#define MAX_WINDOW 1024

/* An open-addressing map from 64-bit keys to 32-bit values. */
struct u64map {
	uint64_t *keys; /* owned */
	uint32_t *vals; /* owned: value + 1; 0 is an empty slot */
	size_t cap, n;	/* cap: 0 or a power of two */
};

/* A task as the trace names it: a tid, or a pid without -f. */
struct task {
	int64_t pid;	 /* as printed; 0 when the trace printed none */
	uint32_t parent; /* by=pid: the task whose thread group this joined */
	uint32_t group;	 /* finish: the task heading its group */
	int64_t pending; /* log index of its unfinished call, -1 when none */
};

/* The distinct keys of klen symbols, in order of first insertion. */
struct wset {
	uint16_t *keys;	  /* owned: klen per entry */
	uint64_t *counts; /* owned */
	uint32_t *slots;  /* owned: entry + 1; 0 is empty */
	size_t n, capn, cap, klen;
};

struct sr_writer {
	struct sr_sink *out; /* borrowed */
	enum sr_arch arch;
	enum layout layout;
	bool by_tid, names, lookahead, jsonl;
	unsigned window;    /* 0: sequences, not windows */
	char *dir;	    /* owned: adfa output directory */
	bool made_dir;	    /* seq_open created dir (it did not exist) */
	bool finished;	    /* seq_finish ran: the files are written */
	struct task *tasks; /* owned */
	size_t ntasks, captasks;
	struct u64map live;  /* tid -> task, for tasks that have not exited */
	struct u64map by_nr; /* numbers: syscall number -> symbol */
	int32_t *sym_nr;     /* owned, numbers: symbol -> syscall number */
	size_t nsyms, capsyms;
	struct sr_intern *symtab; /* owned, names: symbol = atom id */
	uint32_t *log_task;	  /* owned: the calls in start order */
	uint16_t *log_sym;	  /* owned */
	size_t nlog, caplog;
};

/* ------------------------------------------------------------------ */
/* Containers                                                          */

static size_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return (size_t)x;
}

static bool grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t nc = *cap ? *cap : 64;
	void *q;

	if (need <= *cap)
		return true;
	while (nc < need)
		nc *= 2;
	q = realloc(*p, nc * size);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

static uint32_t *map_slot(const struct u64map *m, uint64_t key)
{
	size_t i = mix64(key) & (m->cap - 1);

	while (m->vals[i] && m->keys[i] != key)
		i = (i + 1) & (m->cap - 1);
	return &m->vals[i];
}

static uint32_t map_get(const struct u64map *m, uint64_t key)
{
	uint32_t v;

	if (!m->cap)
		return NO_TASK;
	v = *map_slot(m, key);
	return v ? v - 1 : NO_TASK;
}

static bool map_put(struct u64map *m, uint64_t key, uint32_t val)
{
	uint32_t *v;

	if (2 * (m->n + 1) > m->cap) {
		struct u64map g = { .cap = m->cap ? 2 * m->cap : 64 };

		g.keys = malloc(g.cap * sizeof(*g.keys));
		g.vals = calloc(g.cap, sizeof(*g.vals));
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return false;
		}
		for (size_t i = 0; i < m->cap; i++) {
			if (!m->vals[i])
				continue;
			v = map_slot(&g, m->keys[i]);
			v[0] = m->vals[i];
			g.keys[v - g.vals] = m->keys[i];
			g.n++;
		}
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	v = map_slot(m, key);
	if (!*v)
		m->n++;
	*v = val + 1;
	m->keys[v - m->vals] = key;
	return true;
}

/* Deletes key, moving back the entries after it (linear probing). */
static void map_del(struct u64map *m, uint64_t key)
{
	size_t mask = m->cap - 1, i, j;

	if (!m->cap || !*map_slot(m, key))
		return;
	i = (size_t)(map_slot(m, key) - m->vals);
	m->vals[i] = 0;
	m->n--;
	for (j = (i + 1) & mask; m->vals[j]; j = (j + 1) & mask) {
		size_t home = mix64(m->keys[j]) & mask;

		/* j's entry may fill the hole at i unless its home lies in (i, j] */
		if (i <= j ? (home > i && home <= j) : (home > i || home <= j))
			continue;
		m->keys[i] = m->keys[j];
		m->vals[i] = m->vals[j];
		m->vals[j] = 0;
		i = j;
	}
}

static void map_free(struct u64map *m)
{
	free(m->keys);
	free(m->vals);
}

static size_t key_hash(const uint16_t *k, size_t n)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 0x100000001b3ULL;
	return mix64(h);
}

static uint32_t *wset_slot(const struct wset *s, const uint16_t *k)
{
	size_t i = key_hash(k, s->klen) & (s->cap - 1);

	while (s->slots[i] &&
	       memcmp(&s->keys[(s->slots[i] - 1) * s->klen], k, s->klen * sizeof(*k)) != 0)
		i = (i + 1) & (s->cap - 1);
	return &s->slots[i];
}

/* Counts one occurrence of k[0..klen). */
static bool wset_add(struct wset *s, const uint16_t *k)
{
	uint32_t *slot;

	if (2 * (s->n + 1) > s->cap) {
		size_t nc = s->cap ? 2 * s->cap : 1024;
		uint32_t *ns = calloc(nc, sizeof(*ns)), *old = s->slots;

		if (!ns)
			return false;
		s->slots = ns;
		s->cap = nc;
		for (size_t e = 0; e < s->n; e++)
			*wset_slot(s, &s->keys[e * s->klen]) = (uint32_t)e + 1;
		free(old);
	}
	slot = wset_slot(s, k);
	if (*slot) {
		s->counts[*slot - 1]++;
		return true;
	}
	if (s->n == s->capn) {
		size_t nc = s->capn ? 2 * s->capn : 1024;
		uint64_t *c = realloc(s->counts, nc * sizeof(*c));
		uint16_t *k2;

		if (!c)
			return false;
		s->counts = c;
		k2 = realloc(s->keys, nc * s->klen * sizeof(*k2));
		if (!k2)
			return false;
		s->keys = k2;
		s->capn = nc;
	}
	memcpy(&s->keys[s->n * s->klen], k, s->klen * sizeof(*k));
	s->counts[s->n] = 1;
	*slot = (uint32_t)++s->n;
	return true;
}

static void wset_clear(struct wset *s)
{
	if (s->cap)
		memset(s->slots, 0, s->cap * sizeof(*s->slots));
	s->n = 0;
}

static void wset_free(struct wset *s)
{
	free(s->keys);
	free(s->counts);
	free(s->slots);
}

/* ------------------------------------------------------------------ */
/* Options                                                             */

static enum sr_status opt_bool(const struct sr_opts *opts, const char *key, bool *v,
			       struct sr_error *err)
{
	const char *s = sr_opts_get(opts, key, NULL);

	if (!s)
		*v = false;
	else if (!*s || !strcmp(s, "1") || !strcmp(s, "yes") || !strcmp(s, "true"))
		*v = true;
	else if (!strcmp(s, "0") || !strcmp(s, "no") || !strcmp(s, "false"))
		*v = false;
	else
		return sr_error_set(err, SR_ERR_USAGE, "invalid seq option: %s=%s: want yes or no",
				    key, s);
	return SR_OK;
}

static enum sr_status parse_opts(struct sr_writer *w, const struct sr_opts *opts,
				 struct sr_error *err)
{
	const char *arch = sr_opts_get(opts, "arch", sr_arch_name(SR_ARCH_DEFAULT));
	const char *by = sr_opts_get(opts, "by", "pid");
	const char *layout = sr_opts_get(opts, "layout", "lines");
	const char *window = sr_opts_get(opts, "window", NULL);
	const char *format = sr_opts_get(opts, "format", "csv");
	const char *dir = sr_opts_get(opts, "dir", NULL);
	enum sr_status st;

	w->arch = sr_arch_parse(arch);
	if (w->arch == SR_ARCH_UNKNOWN)
		return sr_error_set(err, SR_ERR_USAGE,
				    "unknown architecture '%s' (x86_64, i386 or aarch64)", arch);
	if (!strcmp(by, "tid"))
		w->by_tid = true;
	else if (strcmp(by, "pid") != 0)
		return sr_error_set(err, SR_ERR_USAGE, "invalid seq option: by=%s: want pid or tid",
				    by);
	if (!strcmp(layout, "adfa"))
		w->layout = LAYOUT_ADFA;
	else if (!strcmp(layout, "unm"))
		w->layout = LAYOUT_UNM;
	else if (strcmp(layout, "lines") != 0)
		return sr_error_set(err, SR_ERR_USAGE,
				    "invalid seq option: layout=%s: want lines, adfa or unm",
				    layout);
	if (!strcmp(format, "jsonl"))
		w->jsonl = true;
	else if (strcmp(format, "csv") != 0)
		return sr_error_set(err, SR_ERR_USAGE,
				    "invalid seq option: format=%s: want csv or jsonl", format);
	if ((st = opt_bool(opts, "names", &w->names, err)) < 0 ||
	    (st = opt_bool(opts, "lookahead", &w->lookahead, err)) < 0)
		return st;
	if (window) {
		char *end;
		unsigned long k;

		errno = 0;
		k = strtoul(window, &end, 10);
		if (!*window || *end || errno || k < 1 || k > MAX_WINDOW)
			return sr_error_set(
				err, SR_ERR_USAGE,
				"invalid seq option: window=%s: want a length from 1 to %d", window,
				MAX_WINDOW);
		w->window = (unsigned)k;
		if (w->layout != LAYOUT_LINES)
			return sr_error_set(
				err, SR_ERR_USAGE,
				"invalid seq option: window and layout=%s do not go together",
				layout);
		if (w->lookahead && k < 2)
			return sr_error_set(
				err, SR_ERR_USAGE,
				"invalid seq option: lookahead pairs need window=2 or more");
	} else if (w->lookahead) {
		return sr_error_set(err, SR_ERR_USAGE,
				    "invalid seq option: lookahead needs window=K");
	}
	if (w->layout == LAYOUT_ADFA) {
		if (!dir || !*dir)
			return sr_error_set(
				err, SR_ERR_USAGE,
				"invalid seq option: layout=adfa needs dir=DIR (sysrep: -o DIR)");
		w->dir = strdup(dir);
		if (!w->dir)
			return sr_error_set(err, SR_ERR_NOMEM,
					    "cannot start seq output: out of memory");
	}
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* Collecting                                                          */

/* The live task of tid pid, created when there is none. */
static uint32_t task_get(struct sr_writer *w, int64_t pid)
{
	uint32_t t;

	if (pid < 0)
		pid = 0; /* no pid printed: one task, called 0 (never a traced pid) */
	t = map_get(&w->live, (uint64_t)pid);
	if (t != NO_TASK)
		return t;
	if (w->ntasks >= NO_TASK ||
	    !grow((void **)&w->tasks, &w->captasks, w->ntasks + 1, sizeof(*w->tasks)))
		return NO_TASK;
	t = (uint32_t)w->ntasks;
	if (!map_put(&w->live, (uint64_t)pid, t))
		return NO_TASK;
	w->tasks[t] = (struct task){ .pid = pid, .parent = NO_TASK, .pending = -1 };
	w->ntasks++;
	return t;
}

static enum sr_status nomem(struct sr_error *err)
{
	return sr_error_set(err, SR_ERR_NOMEM, "cannot collect syscall sequences: out of memory");
}

/* The symbol of ev's call; SYM_NONE with err set when it has none. */
static uint16_t symbol(struct sr_writer *w, const struct sr_batch *b, const struct sr_event *ev,
		       struct sr_error *err)
{
	int nr = ev->nr;

	if (w->names) {
		const struct sr_atom *a;
		char buf[32];
		const char *s = ev->name ? ev->name->str : sr_syscall_name(w->arch, nr);
		size_t n;

		if (!s && nr >= 0) {
			/* as strace prints a call it has no name for */
			snprintf(buf, sizeof(buf), "syscall_%#x", (unsigned)nr);
			s = buf;
		}
		if (!s) {
			sr_error_set(
				err, SR_ERR_FORMAT,
				"cannot write sequences: a syscall without a name: %s line %" PRIu64,
				b->source ? b->source : "-", ev->line);
			return SYM_NONE;
		}
		n = ev->name && s == ev->name->str ? ev->name->len : strlen(s);
		a = sr_intern(w->symtab, s, n);
		if (!a || a->id >= MAX_SYMS) {
			if (a)
				sr_error_set(err, SR_ERR_UNSUPPORTED,
					     "cannot write sequences: over %d distinct names",
					     MAX_SYMS);
			else
				nomem(err);
			return SYM_NONE;
		}
		return (uint16_t)a->id;
	}
	if (nr < 0 && ev->name)
		nr = sr_syscall_nr(w->arch, ev->name->str, ev->name->len);
	if (nr < 0) {
		/* a number made up would poison a dataset: refuse instead */
		sr_error_set(
			err, SR_ERR_FORMAT,
			"cannot write sequences: no %s number for syscall '%s': %s line %" PRIu64
			" (another --arch, or --names?)",
			sr_arch_name(w->arch), ev->name ? ev->name->str : "?",
			b->source ? b->source : "-", ev->line);
		return SYM_NONE;
	}
	{
		uint32_t s = map_get(&w->by_nr, (uint64_t)nr);

		if (s != NO_TASK)
			return (uint16_t)s;
		if (w->nsyms >= MAX_SYMS) {
			sr_error_set(err, SR_ERR_UNSUPPORTED,
				     "cannot write sequences: over %d distinct syscalls", MAX_SYMS);
			return SYM_NONE;
		}
		if (!grow((void **)&w->sym_nr, &w->capsyms, w->nsyms + 1, sizeof(*w->sym_nr)) ||
		    !map_put(&w->by_nr, (uint64_t)nr, (uint32_t)w->nsyms)) {
			nomem(err);
			return SYM_NONE;
		}
		w->sym_nr[w->nsyms] = nr;
		return (uint16_t)w->nsyms++;
	}
}

/* Appends a call of task t; returns its log index, or -1 out of memory. */
static int64_t log_call(struct sr_writer *w, uint32_t t, uint16_t sym)
{
	if (w->nlog == w->caplog) {
		size_t nc = w->caplog ? 2 * w->caplog : 4096;
		uint32_t *lt = realloc(w->log_task, nc * sizeof(*lt));
		uint16_t *ls;

		if (!lt)
			return -1;
		w->log_task = lt;
		ls = realloc(w->log_sym, nc * sizeof(*ls));
		if (!ls)
			return -1;
		w->log_sym = ls;
		w->caplog = nc;
	}
	w->log_task[w->nlog] = t;
	w->log_sym[w->nlog] = sym;
	return (int64_t)w->nlog++;
}

/* A started call that will not finish no longer counts. */
static void drop_pending(struct sr_writer *w, uint32_t t)
{
	if (w->tasks[t].pending >= 0)
		w->log_sym[w->tasks[t].pending] = SYM_NONE;
	w->tasks[t].pending = -1;
}

#define CLONE_THREAD_BIT 0x00010000

/* by=pid: a clone that made a thread puts the new tid in t's group. */
static enum sr_status note_clone(struct sr_writer *w, uint32_t t, const struct sr_event *ev)
{
	const struct sr_value *f, *r;
	uint32_t child;

	if (!ev->name || (strcmp(ev->name->str, "clone") && strcmp(ev->name->str, "clone3")))
		return SR_OK;
	r = ev->ret ? sr_value_int(ev->ret) : NULL;
	if (!r || (r->flags & SR_VF_UNSIGNED) || r->num.i <= 0)
		return SR_OK;
	f = sr_clone_flags(ev);
	if (!f || !sr_value_has_flag(f, "CLONE_THREAD", CLONE_THREAD_BIT))
		return SR_OK;
	child = task_get(w, r->num.i);
	if (child == NO_TASK)
		return SR_ERR_NOMEM;
	if (child != t)
		w->tasks[child].parent = t;
	return SR_OK;
}

static enum sr_status seq_write(struct sr_writer *w, const struct sr_batch *b, struct sr_error *err)
{
	for (size_t i = 0; i < b->n; i++) {
		const struct sr_event *ev = &b->ev[i];
		uint32_t t;
		uint16_t sym;

		switch (ev->kind) {
		case SR_E_UNFINISHED:
		case SR_E_SYSCALL:
			t = task_get(w, ev->lead.pid);
			if (t == NO_TASK)
				return nomem(err);
			sym = symbol(w, b, ev, err);
			if (sym == SYM_NONE)
				return err ? err->code : SR_ERR_FORMAT;
			if (ev->kind == SR_E_UNFINISHED) {
				drop_pending(w, t); /* its resumption never came */
				w->tasks[t].pending = log_call(w, t, sym);
				if (w->tasks[t].pending < 0)
					return nomem(err);
				break;
			}
			if ((ev->flags & SR_EF_RESUMED) && !(ev->flags & SR_EF_ORPHAN) &&
			    w->tasks[t].pending >= 0) {
				/* counted where it started */
				w->log_sym[w->tasks[t].pending] = sym;
				w->tasks[t].pending = -1;
			} else if (log_call(w, t, sym) < 0) {
				return nomem(err);
			}
			if (!w->by_tid && note_clone(w, t, ev) < 0)
				return nomem(err);
			break;
		case SR_E_EXIT:
		case SR_E_KILLED:
			/* the tid is free for reuse: a later one is a new task */
			t = map_get(&w->live, (uint64_t)(ev->lead.pid < 0 ? 0 : ev->lead.pid));
			if (t != NO_TASK) {
				drop_pending(w, t);
				map_del(&w->live, (uint64_t)w->tasks[t].pid);
			}
			break;
		default:
			break;
		}
	}
	return SR_OK;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The groups in order of their first call, with their calls contiguous. */
struct groups {
	uint32_t *order; /* owned: heading tasks */
	size_t n;
	size_t *start; /* owned: by heading task; calls of it in seq */
	size_t *len;   /* owned: by heading task */
	uint16_t *seq; /* owned: the calls of every group, group after group */
};

static void groups_free(struct groups *g)
{
	free(g->order);
	free(g->start);
	free(g->len);
	free(g->seq);
}

static uint32_t group_of(struct sr_writer *w, uint32_t t)
{
	uint32_t g = t;

	/* a chain no longer than the task count: a cycle cannot hang */
	for (size_t hops = 0; w->tasks[g].parent != NO_TASK && hops < w->ntasks; hops++)
		g = w->tasks[g].parent;
	return g;
}

static enum sr_status make_groups(struct sr_writer *w, struct groups *g, bool fill)
{
	size_t total = 0, i;

	for (i = 0; i < w->ntasks; i++)
		w->tasks[i].group = group_of(w, (uint32_t)i);
	g->order = malloc((w->ntasks + 1) * sizeof(*g->order));
	g->start = calloc(w->ntasks + 1, sizeof(*g->start));
	g->len = calloc(w->ntasks + 1, sizeof(*g->len));
	if (!g->order || !g->start || !g->len)
		return SR_ERR_NOMEM;
	for (i = 0; i < w->nlog; i++) {
		uint32_t h;

		if (w->log_sym[i] == SYM_NONE)
			continue;
		h = w->tasks[w->log_task[i]].group;
		if (!g->len[h]++)
			g->order[g->n++] = h;
		total++;
	}
	if (!fill)
		return SR_OK;
	for (i = 0; i < g->n; i++) {
		uint32_t h = g->order[i];

		g->start[h] = i ? g->start[g->order[i - 1]] + g->len[g->order[i - 1]] : 0;
	}
	g->seq = malloc((total + 1) * sizeof(*g->seq));
	if (!g->seq)
		return SR_ERR_NOMEM;
	/* len counts down to 0 again as the calls are placed */
	for (i = 0; i < g->n; i++)
		g->len[g->order[i]] = 0;
	for (i = 0; i < w->nlog; i++) {
		uint32_t h;

		if (w->log_sym[i] == SYM_NONE)
			continue;
		h = w->tasks[w->log_task[i]].group;
		g->seq[g->start[h] + g->len[h]++] = w->log_sym[i];
	}
	return SR_OK;
}

static void put_i64(struct sr_sink *s, int64_t v)
{
	char *d = sr_sink_reserve(s, 24);

	sr_sink_commit(s, (size_t)snprintf(d, 24, "%" PRId64, v));
}

/* A symbol as a number or a name; quoted for JSON when asked (names are
 * identifiers: nothing to escape). */
static void put_sym(const struct sr_writer *w, struct sr_sink *s, uint16_t sym, bool quote)
{
	if (!w->names) {
		put_i64(s, w->sym_nr[sym]);
		return;
	}
	{
		const struct sr_atom *a = sr_intern_at(w->symtab, sym);

		if (quote)
			sr_sink_write(s, "\"", 1);
		sr_sink_write(s, a->str, a->len);
		if (quote)
			sr_sink_write(s, "\"", 1);
	}
}

static void put_calls(const struct sr_writer *w, struct sr_sink *s, const uint16_t *seq, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_sink_write(s, " ", 1);
		put_sym(w, s, seq[i], false);
	}
	sr_sink_write(s, "\n", 1);
}

/* adfa: DIR/PID.txt, or DIR/PID-K.txt for the K-th process of a reused pid. */
static enum sr_status write_adfa(struct sr_writer *w, const struct groups *g, struct sr_error *err)
{
	struct u64map seen = { 0 };
	enum sr_status st = SR_OK;
	size_t plen = strlen(w->dir) + 64;
	char *path = malloc(plen);

	if (!path)
		return nomem(err);
	for (size_t i = 0; i < g->n && st >= 0; i++) {
		uint32_t h = g->order[i];
		int64_t pid = w->tasks[h].pid;
		uint32_t k = map_get(&seen, (uint64_t)pid);
		struct sr_sink *s;

		k = k == NO_TASK ? 1 : k + 1;
		if (!map_put(&seen, (uint64_t)pid, k)) {
			st = nomem(err);
			break;
		}
		if (k == 1)
			snprintf(path, plen, "%s/%" PRId64 ".txt", w->dir, pid);
		else
			snprintf(path, plen, "%s/%" PRId64 "-%u.txt", w->dir, pid, k);
		st = sr_sink_open(&s, path, err);
		if (st < 0)
			break;
		put_calls(w, s, g->seq + g->start[h], g->len[h]);
		st = sr_sink_close(s, err);
	}
	map_free(&seen);
	free(path);
	return st;
}

static void write_unm(struct sr_writer *w)
{
	for (size_t i = 0; i < w->nlog; i++) {
		if (w->log_sym[i] == SYM_NONE)
			continue;
		put_i64(w->out, w->tasks[w->tasks[w->log_task[i]].group].pid);
		sr_sink_write(w->out, " ", 1);
		put_sym(w, w->out, w->log_sym[i], false);
		sr_sink_write(w->out, "\n", 1);
	}
}

static void put_entry(struct sr_writer *w, int64_t pid, const uint16_t *k, uint64_t count)
{
	struct sr_sink *s = w->out;
	unsigned n = w->lookahead ? 2 : w->window;

	if (w->jsonl) {
		sr_sink_puts(s, SR_STR("{\"pid\":"));
		put_i64(s, pid);
		sr_sink_puts(s, w->lookahead ? SR_STR(",\"call\":") : SR_STR(",\"window\":["));
	} else {
		put_i64(s, pid);
		sr_sink_write(s, ",", 1);
	}
	for (unsigned i = 0; i < n; i++) {
		if (i)
			sr_sink_puts(s,
				     w->jsonl && w->lookahead ? SR_STR(",\"next\":") : SR_STR(","));
		put_sym(w, s, k[i], w->jsonl);
	}
	if (w->jsonl) {
		if (w->lookahead) {
			sr_sink_puts(s, SR_STR(",\"distance\":"));
			put_i64(s, k[2]);
		}
		sr_sink_puts(s, w->lookahead ? SR_STR(",\"count\":") : SR_STR("],\"count\":"));
	} else {
		if (w->lookahead) {
			sr_sink_write(s, ",", 1);
			put_i64(s, k[2]);
		}
		sr_sink_write(s, ",", 1);
	}
	put_i64(s, (int64_t)count);
	sr_sink_puts(s, w->jsonl ? SR_STR("}\n") : SR_STR("\n"));
}

/* window=K: per group, its distinct windows (or lookahead pairs) with
 * counts, in order of first occurrence. */
static enum sr_status write_windows(struct sr_writer *w, const struct groups *g,
				    struct sr_error *err)
{
	struct wset set = { .klen = w->lookahead ? 3 : w->window };
	const size_t k = w->window;
	enum sr_status st = SR_OK;

	if (!w->jsonl) {
		sr_sink_puts(w->out, SR_STR("pid,"));
		if (w->lookahead) {
			sr_sink_puts(w->out, SR_STR("call,next,distance,"));
		} else {
			for (size_t i = 1; i <= k; i++) {
				sr_sink_puts(w->out, SR_STR("call_"));
				put_i64(w->out, (int64_t)i);
				sr_sink_write(w->out, ",", 1);
			}
		}
		sr_sink_puts(w->out, SR_STR("count\n"));
	}
	for (size_t gi = 0; gi < g->n; gi++) {
		uint32_t h = g->order[gi];
		const uint16_t *s = g->seq + g->start[h];
		size_t n = g->len[h];

		wset_clear(&set);
		if (w->lookahead) {
			for (size_t i = 0; i < n; i++) {
				for (size_t d = 1; d < k && i + d < n; d++) {
					const uint16_t key[3] = { s[i], s[i + d], (uint16_t)d };

					if (!wset_add(&set, key))
						goto nomem;
				}
			}
		} else {
			for (size_t i = 0; i + k <= n; i++)
				if (!wset_add(&set, s + i))
					goto nomem;
		}
		for (size_t e = 0; e < set.n; e++)
			put_entry(w, w->tasks[h].pid, &set.keys[e * set.klen], set.counts[e]);
	}
	wset_free(&set);
	return st;
nomem:
	wset_free(&set);
	return nomem(err);
}

static enum sr_status seq_finish(struct sr_writer *w, struct sr_error *err)
{
	struct groups g = { 0 };
	enum sr_status st = SR_OK;

	for (size_t t = 0; t < w->ntasks; t++)
		drop_pending(w, (uint32_t)t);
	if (make_groups(w, &g, w->layout != LAYOUT_UNM) < 0) {
		groups_free(&g);
		return nomem(err);
	}
	if (w->layout == LAYOUT_UNM) {
		write_unm(w);
	} else if (w->layout == LAYOUT_ADFA) {
		st = write_adfa(w, &g, err);
	} else if (w->window) {
		st = write_windows(w, &g, err);
	} else {
		for (size_t i = 0; i < g.n; i++) {
			uint32_t h = g.order[i];

			put_i64(w->out, w->tasks[h].pid);
			sr_sink_puts(w->out, g.len[h] ? SR_STR(": ") : SR_STR(":"));
			put_calls(w, w->out, g.seq + g.start[h], g.len[h]);
		}
	}
	groups_free(&g);
	w->finished = true;
	return st;
}

static void seq_close(struct sr_writer *w)
{
	if (!w)
		return;
	/* a run that failed leaves no output: the directory made for it
	 * goes again (rmdir only removes it when still empty) */
	if (w->made_dir && !w->finished)
		rmdir(w->dir);
	free(w->dir);
	free(w->tasks);
	map_free(&w->live);
	map_free(&w->by_nr);
	free(w->sym_nr);
	sr_intern_free(w->symtab);
	free(w->log_task);
	free(w->log_sym);
	free(w);
}

static enum sr_status seq_open(struct sr_writer **wp, struct sr_sink *out,
			       const struct sr_opts *opts, struct sr_error *err)
{
	struct sr_writer *w = calloc(1, sizeof(*w));
	enum sr_status st;

	*wp = NULL;
	if (!w)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot start seq output: out of memory");
	w->out = out;
	st = parse_opts(w, opts, err);
	if (st < 0)
		goto fail;
	if (w->names && !(w->symtab = sr_intern_new())) {
		st = sr_error_set(err, SR_ERR_NOMEM, "cannot start seq output: out of memory");
		goto fail;
	}
	/* The directory is made now, so that a bad one fails before the
	 * trace is read; files already in it are left alone. */
	if (w->dir && mkdir(w->dir, 0777) == 0) {
		w->made_dir = true;
	} else if (w->dir && errno != EEXIST) {
		st = sr_error_set(err, SR_ERR_IO, "cannot create the output directory: %s",
				  strerror(errno));
		sr_error_file(err, w->dir);
		goto fail;
	}
	*wp = w;
	return SR_OK;
fail:
	seq_close(w);
	return st;
}

static const struct sr_optdesc sr_out_seq_keys[] = {
	{ "arch", "the syscall table for numbers: x86_64 (default), i386, aarch64" },
	{ "by", "pid (default): one sequence per process; tid: per thread" },
	{ "names", "syscall names instead of numbers" },
	{ "layout", "lines (default), adfa (one file per process in dir) or unm" },
	{ "window", "K: the distinct windows of K calls per process, with counts" },
	{ "lookahead", "with window: lookahead pairs instead" },
	{ "format", "with window: csv (default) or jsonl" },
	{ "dir", "the directory of the adfa layout (the CLI passes -o DIR)" },
	{ NULL, NULL },
};

const struct sr_writer_class sr_out_seq = {
	.name = "seq",
	.ext = ".seq",
	.summary = "syscall sequences per process: lines, ADFA-LD or UNM layout, "
		   "windows (docs/seq.md)",
	.open = seq_open,
	.write = seq_write,
	.finish = seq_finish,
	.close = seq_close,
	.opt_keys = sr_out_seq_keys,
};
