/*
 * tree.c - building the process tree (see tree.h).
 *
 * Tasks live in one growable array and are never removed, so an index names
 * a task for the tree's life; a map from tid to the latest task of that tid
 * finds the task of an event.  Strings (paths, argv, names) are copied into
 * the tree's arena: batches do not outlive the reader's next call.
 */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

#include "evtime.h"

#define CLONE_THREAD_BIT 0x00010000
#define CLONE_PARENT_BIT 0x00008000
#define MAX_ARGV 4096
#define MAX_WALK 4096 /* parent chains longer than this are not followed */

struct sr_tree {
	struct sr_tree_task *task; /* owned: n tasks, capacity cap */
	size_t n, cap;
	uint64_t *keys;	 /* owned: the tid map, open addressing; key tid + 2 */
	int32_t *vals;	 /* owned: task index */
	size_t mcap, mn; /* mcap: 0 or a power of two */
	struct sr_arena *arena; /* owned: strings and argv arrays */
	int32_t *links;		/* owned: storage of kids and threads */
	struct sr_evclock clock;
	int32_t pending; /* the task whose clone is in flight, -1: none */
	size_t nprocs;
};

/* ------------------------------------------------------------------ */
/* The tid map                                                         */

static size_t slot_of(uint64_t key, size_t cap)
{
	key *= 0x9e3779b97f4a7c15ull;
	return (size_t)(key >> 32) & (cap - 1);
}

static int32_t map_get(const struct sr_tree *t, int64_t tid)
{
	uint64_t key = (uint64_t)tid + 2;

	if (!t->mcap)
		return -1;
	for (size_t i = slot_of(key, t->mcap);; i = (i + 1) & (t->mcap - 1)) {
		if (!t->keys[i])
			return -1;
		if (t->keys[i] == key)
			return t->vals[i];
	}
}

static bool map_put(struct sr_tree *t, int64_t tid, int32_t v)
{
	uint64_t key = (uint64_t)tid + 2;
	size_t i;

	if (2 * (t->mn + 1) > t->mcap) {
		size_t ncap = t->mcap ? 2 * t->mcap : 64;
		uint64_t *nk = calloc(ncap, sizeof(*nk));
		int32_t *nv = calloc(ncap, sizeof(*nv));

		if (!nk || !nv) {
			free(nk);
			free(nv);
			return false;
		}
		for (size_t j = 0; j < t->mcap; j++) {
			if (!t->keys[j])
				continue;
			for (i = slot_of(t->keys[j], ncap); nk[i]; i = (i + 1) & (ncap - 1))
				;
			nk[i] = t->keys[j];
			nv[i] = t->vals[j];
		}
		free(t->keys);
		free(t->vals);
		t->keys = nk;
		t->vals = nv;
		t->mcap = ncap;
	}
	for (i = slot_of(key, t->mcap); t->keys[i] && t->keys[i] != key; i = (i + 1) & (t->mcap - 1))
		;
	if (!t->keys[i])
		t->mn++;
	t->keys[i] = key;
	t->vals[i] = v;
	return true;
}

/* ------------------------------------------------------------------ */

enum sr_status sr_tree_new(struct sr_tree **tp)
{
	struct sr_tree *t = calloc(1, sizeof(*t));

	*tp = NULL;
	if (!t)
		return SR_ERR_NOMEM;
	t->arena = sr_arena_new(0);
	if (!t->arena) {
		free(t);
		return SR_ERR_NOMEM;
	}
	t->pending = -1;
	sr_evclock_init(&t->clock);
	*tp = t;
	return SR_OK;
}

void sr_tree_free(struct sr_tree *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->task[i].execs);
	free(t->task);
	free(t->keys);
	free(t->vals);
	free(t->links);
	sr_arena_free(t->arena);
	free(t);
}

size_t sr_tree_count(const struct sr_tree *t)
{
	return t->n;
}

const struct sr_tree_task *sr_tree_at(const struct sr_tree *t, int32_t i)
{
	return i >= 0 && (size_t)i < t->n ? &t->task[i] : NULL;
}

size_t sr_tree_processes(const struct sr_tree *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n; i++)
		n += t->task[i].leader == (int32_t)i;
	return n;
}

static const char *dup_str(struct sr_tree *t, const char *s, size_t n)
{
	return sr_arena_memdup(t->arena, s, n);
}

/* A new task for tid, the latest of that tid; -1 when out of memory. */
static int32_t task_new(struct sr_tree *t, int64_t tid)
{
	struct sr_tree_task *k;
	int32_t i;

	if (t->n == t->cap) {
		size_t ncap = t->cap ? 2 * t->cap : 64;
		struct sr_tree_task *p = realloc(t->task, ncap * sizeof(*p));

		if (!p || ncap > INT32_MAX)
			return -1;
		t->task = p;
		t->cap = ncap;
	}
	i = (int32_t)t->n;
	if (!map_put(t, tid, i))
		return -1;
	k = &t->task[t->n++];
	memset(k, 0, sizeof(*k));
	k->tid = tid;
	k->parent = -1;
	k->leader = i;
	k->first_ns = k->last_ns = -1;
	return i;
}

static int32_t leader_of(const struct sr_tree *t, int32_t i)
{
	return t->task[i].leader;
}

/*
 * The task of an event from tid: the latest task of that tid unless it
 * has ended (then the tid was reused).  A task first seen while a clone is
 * in flight is taken as that clone's child for now.
 */
static int32_t task_of_tid(struct sr_tree *t, int64_t tid)
{
	int32_t i = map_get(t, tid);

	if (i >= 0 && t->task[i].end == SR_TREE_RUNNING)
		return i;
	i = task_new(t, tid);
	if (i < 0)
		return -1;
	if (t->pending >= 0 && t->task[t->pending].pending) {
		struct sr_tree_task *k = &t->task[i];
		int32_t p = t->pending;

		if (t->task[p].pending == 2) {
			k->leader = leader_of(t, p);
			k->thread = true;
		} else {
			k->parent = leader_of(t, p);
		}
		k->guessed = true;
		t->task[p].pending = 0;
		t->pending = -1;
	}
	return i;
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

static bool is_name(const struct sr_event *ev, const char *s)
{
	return ev->name && !strcmp(ev->name->str, s);
}

/* 0: not a task-creating call; 1: fork, vfork, clone, clone3. */
static bool is_clone(const struct sr_event *ev)
{
	return is_name(ev, "clone") || is_name(ev, "clone3") || is_name(ev, "fork") ||
	       is_name(ev, "vfork");
}

/* Is p a descendant of (or) c?  Guards against cycles from odd input. */
static bool below(const struct sr_tree *t, int32_t p, int32_t c)
{
	for (int n = 0; p >= 0 && n < MAX_WALK; n++) {
		p = leader_of(t, p);
		if (p == c)
			return true;
		p = t->task[p].parent;
	}
	return false;
}

/* A clone that returned a tid in task p. */
static enum sr_status on_clone(struct sr_tree *t, int32_t p, const struct sr_event *ev)
{
	const struct sr_value *r = ev->ret ? sr_value_int(ev->ret) : NULL;
	const struct sr_value *f = sr_clone_flags(ev);
	bool thread = f && sr_value_has_flag(f, "CLONE_THREAD", CLONE_THREAD_BIT);
	bool sibling = f && sr_value_has_flag(f, "CLONE_PARENT", CLONE_PARENT_BIT);
	struct sr_tree_task *k;
	int32_t c;

	if (t->task[p].pending) {
		t->task[p].pending = 0;
		if (t->pending == p)
			t->pending = -1;
	}
	if (!r || ev->err || (r->flags & SR_VF_UNSIGNED) || r->num.i <= 0)
		return SR_OK;
	/* the child's lines may have come first: adopt its task */
	c = map_get(t, r->num.i);
	if (c < 0 || c == p || t->task[c].linked || below(t, p, c)) {
		c = task_new(t, r->num.i);
		if (c < 0)
			return SR_ERR_NOMEM;
	}
	k = &t->task[c];
	k->linked = true;
	k->guessed = false;
	k->thread = thread;
	if (thread) {
		k->leader = leader_of(t, p);
		k->parent = -1;
	} else {
		k->leader = c;
		k->parent = leader_of(t, p);
		if (sibling)
			k->parent = t->task[k->parent].parent;
	}
	return SR_OK;
}

static enum sr_status add_exec(struct sr_tree *t, int32_t p, const struct sr_event *ev)
{
	struct sr_tree_task *k = &t->task[p];
	const struct sr_value *path = NULL, *argv = NULL;
	struct sr_tree_exec *x;
	struct sr_buf tmp = { 0 };
	uint32_t at = is_name(ev, "execveat") ? 1 : 0;

	if (!(ev->flags & SR_EF_ORPHAN)) {
		if (ev->nargs > at)
			path = &ev->args[at];
		if (ev->nargs > at + 1)
			argv = &ev->args[at + 1];
	}
	if (k->nexecs == k->exec_cap) {
		uint32_t ncap = k->exec_cap ? 2 * k->exec_cap : 1; /* most exec once */
		struct sr_tree_exec *n = realloc(k->execs, ncap * sizeof(*n));

		if (!n)
			return SR_ERR_NOMEM;
		k->execs = n;
		k->exec_cap = ncap;
	}
	x = &k->execs[k->nexecs];
	memset(x, 0, sizeof(*x));
	x->line = ev->line;
	x->ok = ev->has_ret && !ev->err && ev->ret && sr_value_int(ev->ret) && !sr_value_int(ev->ret)->num.i;
	if (ev->err && !(x->err = dup_str(t, ev->err->str, ev->err->len)))
		return SR_ERR_NOMEM;
	x->path = path && path->kind == SR_V_STR ? dup_str(t, path->text.ptr, path->text.len)
						  : dup_str(t, "", 0);
	if (!x->path)
		return SR_ERR_NOMEM;
	if (argv && argv->kind == SR_V_ARRAY) {
		uint32_t n = argv->nkids < MAX_ARGV ? argv->nkids : MAX_ARGV;

		x->argv = sr_arena_alloc(t->arena, (n ? n : 1) * sizeof(*x->argv));
		if (!x->argv)
			return SR_ERR_NOMEM;
		x->argv_more = argv->nkids > n;
		for (uint32_t i = 0; i < n; i++) {
			const struct sr_value *a = &argv->kids[i];
			const char *s;

			if (a->kind == SR_V_ELLIPSIS) {
				x->argv_more = true;
				continue;
			}
			tmp.len = 0;
			if (a->kind == SR_V_STR) {
				sr_buf_add(&tmp, a->text.ptr, a->text.len);
				if (a->flags & SR_VF_TRUNC) {
					sr_buf_add(&tmp, "...", 3);
					x->argv0_cut |= x->argc == 0;
				}
			} else {
				sr_strace_print_value(&tmp, a);
			}
			s = dup_str(t, tmp.p ? tmp.p : "", tmp.len);
			if (!s) {
				sr_buf_free(&tmp);
				return SR_ERR_NOMEM;
			}
			x->argv[x->argc++] = s;
		}
		sr_buf_free(&tmp);
	} else {
		x->argv_more = true;
	}
	k->nexecs++;
	return SR_OK;
}

static enum sr_status add_event(struct sr_tree *t, const struct sr_event *ev, int32_t *out)
{
	struct sr_tree_task *k;
	int64_t start, dur;
	enum sr_axis axis;
	int32_t p;

	*out = -1;
	switch (ev->kind) {
	case SR_E_SYSCALL:
	case SR_E_UNFINISHED:
	case SR_E_SIGNAL:
	case SR_E_EXIT:
	case SR_E_KILLED:
	case SR_E_SUPERSEDED:
		break;
	default:
		sr_evclock_place(&t->clock, ev, &start, &dur);
		return SR_OK;
	}
	p = task_of_tid(t, ev->lead.pid < 0 ? -1 : ev->lead.pid);
	if (p < 0)
		return SR_ERR_NOMEM;
	*out = p;
	k = &t->task[p];
	axis = sr_evclock_place(&t->clock, ev, &start, &dur);
	k->events++;
	if (!k->first_line)
		k->first_line = ev->line;
	k->last_line = ev->line;
	if (axis != SR_AXIS_SEQ) {
		if (k->first_ns < 0 || start < k->first_ns)
			k->first_ns = start;
		if (start + (dur > 0 ? dur : 0) > k->last_ns)
			k->last_ns = start + (dur > 0 ? dur : 0);
	}
	if (ev->lead.comm.len &&
	    (!k->comm || strlen(k->comm) != ev->lead.comm.len ||
	     memcmp(k->comm, ev->lead.comm.ptr, ev->lead.comm.len))) {
		k->comm = dup_str(t, ev->lead.comm.ptr, ev->lead.comm.len);
		if (!k->comm)
			return SR_ERR_NOMEM;
	}
	switch (ev->kind) {
	case SR_E_UNFINISHED:
		if (is_clone(ev)) {
			const struct sr_value *f = sr_clone_flags(ev);

			k->pending = f && sr_value_has_flag(f, "CLONE_THREAD", CLONE_THREAD_BIT) ? 2 : 1;
			t->pending = p;
		}
		break;
	case SR_E_SYSCALL:
		if (ev->err)
			k->errors++;
		if (is_clone(ev))
			return on_clone(t, p, ev);
		if (is_name(ev, "execve") || is_name(ev, "execveat"))
			return add_exec(t, p, ev);
		break;
	case SR_E_EXIT:
		k->end = SR_TREE_EXITED;
		k->status = ev->code;
		break;
	case SR_E_KILLED:
		k->end = SR_TREE_KILLED;
		k->core = ev->flags & SR_EF_CORE;
		if (ev->name && !(k->signal = dup_str(t, ev->name->str, ev->name->len)))
			return SR_ERR_NOMEM;
		break;
	case SR_E_SUPERSEDED: {
		/* the thread that called execve is gone; its group goes on
		 * under the leader's pid, this event's */
		int32_t old = map_get(t, ev->code);

		if (old >= 0 && old != p && t->task[old].end == SR_TREE_RUNNING)
			t->task[old].end = SR_TREE_SUPERSEDED;
		break;
	}
	default:
		break;
	}
	return SR_OK;
}

enum sr_status sr_tree_add(struct sr_tree *t, const struct sr_batch *b, int32_t *task_of)
{
	for (size_t i = 0; i < b->n; i++) {
		int32_t p;
		enum sr_status st = add_event(t, &b->ev[i], &p);

		if (st < 0)
			return st;
		if (task_of)
			task_of[i] = p;
	}
	return SR_OK;
}

enum sr_status sr_tree_finish(struct sr_tree *t)
{
	uint32_t *nk, *nt;
	size_t total = 0, at = 0;

	/* A guessed thread or child never confirmed stays where it was
	 * guessed: the best the trace says.  Count, then lay out the lists
	 * in one array, in task order (the order of first sight). */
	nk = calloc(t->n + 1, sizeof(*nk));
	nt = calloc(t->n + 1, sizeof(*nt));
	if (!nk || !nt) {
		free(nk);
		free(nt);
		return SR_ERR_NOMEM;
	}
	t->nprocs = 0;
	for (size_t i = 0; i < t->n; i++) {
		const struct sr_tree_task *k = &t->task[i];

		if (k->leader != (int32_t)i) {
			nt[k->leader]++;
			total++;
		} else if (k->parent >= 0) {
			nk[k->parent]++;
			total++;
		}
	}
	free(t->links);
	t->links = malloc((total + 1) * sizeof(*t->links));
	if (!t->links) {
		free(nk);
		free(nt);
		return SR_ERR_NOMEM;
	}
	for (size_t i = 0; i < t->n; i++) {
		struct sr_tree_task *k = &t->task[i];

		k->kids = t->links + at;
		at += nk[i];
		k->threads = t->links + at;
		at += nt[i];
		k->nkids = k->nthreads = 0;
	}
	for (size_t i = 0; i < t->n; i++) {
		const struct sr_tree_task *k = &t->task[i];
		struct sr_tree_task *up;

		if (k->leader != (int32_t)i) {
			up = &t->task[k->leader];
			((int32_t *)up->threads)[up->nthreads++] = (int32_t)i;
		} else if (k->parent >= 0) {
			up = &t->task[k->parent];
			((int32_t *)up->kids)[up->nkids++] = (int32_t)i;
		}
	}
	free(nk);
	free(nt);
	return SR_OK;
}

int64_t sr_tree_pid(const struct sr_tree *t, int32_t i)
{
	if (i < 0 || (size_t)i >= t->n)
		return -1;
	return t->task[t->task[i].leader].tid;
}

const struct sr_tree_exec *sr_tree_last_exec(const struct sr_tree *t, int32_t i)
{
	const struct sr_tree_task *k;

	if (i < 0 || (size_t)i >= t->n)
		return NULL;
	k = &t->task[t->task[i].leader];
	for (uint32_t j = k->nexecs; j-- > 0;)
		if (k->execs[j].ok)
			return &k->execs[j];
	return k->nexecs ? &k->execs[k->nexecs - 1] : NULL;
}

static const char *base_name(const char *s, size_t *len)
{
	const char *slash = strrchr(s, '/');

	if (slash && slash[1])
		s = slash + 1;
	*len = strlen(s);
	return s;
}

const char *sr_tree_own_name(const struct sr_tree *t, int32_t i, size_t *len)
{
	const struct sr_tree_exec *x = sr_tree_last_exec(t, i);
	const struct sr_tree_task *k;

	*len = 0;
	if (i < 0 || (size_t)i >= t->n)
		return NULL;
	k = &t->task[t->task[i].leader];
	if (x && x->argc && x->argv[0][0] && !(x->argv0_cut && x->path[0]))
		return base_name(x->argv[0], len);
	if (x && x->path[0])
		return base_name(x->path, len);
	if (k->comm)
		return base_name(k->comm, len);
	return NULL;
}

const char *sr_tree_name(const struct sr_tree *t, int32_t i, size_t *len)
{
	for (int n = 0; i >= 0 && (size_t)i < t->n && n < MAX_WALK; n++) {
		const char *s = sr_tree_own_name(t, i, len);

		if (s)
			return s;
		i = t->task[t->task[i].leader].parent;
	}
	*len = 0;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Command lines                                                       */

static bool shell_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr("_@%+=:,./-", *s)))
			return false;
	return true;
}

static void shell_quote(struct sr_buf *b, const char *s)
{
	bool ctl = false;

	if (shell_plain(s)) {
		sr_buf_add(b, s, strlen(s));
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		ctl |= *p < 0x20 || *p == 0x7f;
	if (!ctl) {
		/* 'it'\''s' */
		sr_buf_addc(b, '\'');
		for (; *s; s++) {
			if (*s == '\'')
				sr_buf_add(b, "'\\''", 4);
			else
				sr_buf_addc(b, *s);
		}
		sr_buf_addc(b, '\'');
		return;
	}
	/* bash's $'...' for control bytes */
	sr_buf_add(b, "$'", 2);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		static const char hex[] = "0123456789abcdef";

		if (*p == '\n') {
			sr_buf_add(b, "\\n", 2);
		} else if (*p == '\t') {
			sr_buf_add(b, "\\t", 2);
		} else if (*p < 0x20 || *p == 0x7f) {
			char e[4] = { '\\', 'x', hex[*p >> 4], hex[*p & 15] };

			sr_buf_add(b, e, 4);
		} else {
			if (*p == '\'' || *p == '\\')
				sr_buf_addc(b, '\\');
			sr_buf_addc(b, (char)*p);
		}
	}
	sr_buf_addc(b, '\'');
}

void sr_tree_command(struct sr_buf *b, const struct sr_tree_exec *x)
{
	for (uint32_t i = 0; i < x->argc; i++) {
		size_t n = strlen(x->argv[i]);

		if (i)
			sr_buf_addc(b, ' ');
		/* a cut argv[0] that the full path continues: the path */
		if (!i && x->argv0_cut && n >= 3 && !strncmp(x->path, x->argv[0], n - 3))
			shell_quote(b, x->path);
		else
			shell_quote(b, x->argv[i]);
	}
	if (!x->argc)
		shell_quote(b, x->path[0] ? x->path : "?");
	if (x->argv_more)
		sr_buf_add(b, " ...", 4);
}
