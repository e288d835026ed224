/*
 * tree_render.c - the process tree as text and as JSON (see tree.h).
 *
 * Both walk the tree depth first with an explicit stack, not recursion: a
 * fork bomb or a long shell pipeline makes chains thousands of processes
 * deep.  Both spill their output to the sink as they go (jw.h), when the
 * caller gives one.
 */
#include <stdlib.h>

#include "jw.h"
#include "tree.h"

struct frame {
	int32_t task;
	uint32_t next; /* the next child to visit */
	size_t plen;   /* text: the prefix length for this node's children */
	const char *name; /* text: the process's name (sr_tree_name), or NULL */
	size_t nlen;
};

struct stack {
	struct frame *f; /* owned */
	size_t n, cap;
};

static bool push(struct stack *s, int32_t task, size_t plen)
{
	if (s->n == s->cap) {
		size_t ncap = s->cap ? 2 * s->cap : 64;
		struct frame *p = realloc(s->f, ncap * sizeof(*p));

		if (!p)
			return false;
		s->f = p;
		s->cap = ncap;
	}
	s->f[s->n++] = (struct frame){ .task = task, .next = 0, .plen = plen, .name = NULL };
	return true;
}

static bool is_root(const struct sr_tree_task *k, int32_t i)
{
	return k->leader == i && k->parent < 0;
}

/* ------------------------------------------------------------------ */
/* Text                                                                */

static void text_pid(struct sr_jw *w, int64_t tid)
{
	if (tid < 0)
		sr_jw_c(w, '?');
	else
		sr_jw_i64(w, tid);
}

/* The line of task i; pname: its parent's name (sr_tree_name), or NULL.
 * Returns its own name, the same for its children: passed down the walk,
 * so a chain of 20,000 forks without an execve is not walked up per line. */
static const char *text_node(const struct sr_tree *t, struct sr_jw *w, int32_t i,
			     struct sr_buf *tmp, const char *pname)
{
	const struct sr_tree_task *k = sr_tree_at(t, i);
	const struct sr_tree_exec *x = sr_tree_last_exec(t, i);
	size_t n;
	const char *own = sr_tree_own_name(t, i, &n);

	text_pid(w, k->tid);
	sr_jw_c(w, ' ');
	tmp->len = 0;
	if (x) {
		sr_tree_command(tmp, x);
		sr_jw_raw(w, tmp->p, tmp->len);
	} else {
		const char *name = k->comm ? k->comm : pname; /* NUL-terminated */

		sr_jw_c(w, '(');
		sr_jw_puts(w, name ? name : "?");
		sr_jw_c(w, ')');
	}
	if (x && !x->ok) {
		sr_jw_puts(w, " [exec failed");
		if (x->err) {
			sr_jw_puts(w, ": ");
			sr_jw_puts(w, x->err);
		}
		sr_jw_c(w, ']');
	}
	if (k->nthreads) {
		sr_jw_puts(w, " [");
		sr_jw_u64(w, k->nthreads);
		sr_jw_puts(w, k->nthreads == 1 ? " thread]" : " threads]");
	}
	switch (k->end) {
	case SR_TREE_EXITED:
		sr_jw_puts(w, " [exit ");
		sr_jw_i64(w, k->status);
		sr_jw_c(w, ']');
		break;
	case SR_TREE_KILLED:
		sr_jw_puts(w, " [killed by ");
		sr_jw_puts(w, k->signal ? k->signal : "?");
		if (k->core)
			sr_jw_puts(w, ", core dumped");
		sr_jw_c(w, ']');
		break;
	default:
		break;
	}
	sr_jw_c(w, '\n');
	return own ? own : pname;
}

/* How many processes lie below task c, and how many levels deep. */
static bool subtree_size(const struct sr_tree *t, int32_t c, struct stack *h, uint64_t *procs,
			 uint64_t *levels)
{
	*procs = *levels = 0;
	h->n = 0;
	if (!push(h, c, 0))
		return false;
	while (h->n) {
		struct frame *f = &h->f[h->n - 1];
		const struct sr_tree_task *k = sr_tree_at(t, f->task);
		int32_t kid;

		if (f->next == k->nkids) {
			h->n--;
			continue;
		}
		kid = k->kids[f->next++];
		++*procs;
		if (h->n > *levels) /* the kid's depth below c */
			*levels = h->n;
		if (!push(h, kid, 0))
			return false;
	}
	return true;
}

/* The line that stands for the children of a process at the depth limit. */
static bool text_collapsed(const struct sr_tree *t, struct sr_jw *w, int32_t c,
			   const struct sr_buf *prefix, struct stack *h)
{
	uint64_t procs, levels;

	if (!subtree_size(t, c, h, &procs, &levels))
		return false;
	sr_jw_raw(w, prefix->p, prefix->len);
	sr_jw_puts(w, "\u2514\u2500\u2026 ");
	sr_jw_u64(w, levels);
	sr_jw_puts(w, levels == 1 ? " deeper level collapsed (" : " deeper levels collapsed (");
	sr_jw_u64(w, procs);
	sr_jw_puts(w, procs == 1 ? " process)\n" : " processes)\n");
	return true;
}

bool sr_tree_render_text(const struct sr_tree *t, struct sr_jw *w, uint32_t max_depth)
{
	struct sr_buf prefix = { 0 }, tmp = { 0 };
	struct stack s = { 0 }, h = { 0 };
	bool ok = true;

	for (int32_t r = 0; ok && (size_t)r < sr_tree_count(t); r++) {
		const char *name;

		if (!is_root(sr_tree_at(t, r), r))
			continue;
		name = text_node(t, w, r, &tmp, NULL);
		prefix.len = 0;
		ok = push(&s, r, 0);
		if (ok)
			s.f[0].name = name;
		while (ok && s.n) {
			struct frame *f = &s.f[s.n - 1];
			const struct sr_tree_task *k = sr_tree_at(t, f->task);
			bool last;
			int32_t c;

			sr_jw_spill(w);
			if (f->next == k->nkids) {
				s.n--;
				continue;
			}
			c = k->kids[f->next++];
			last = f->next == k->nkids;
			prefix.len = f->plen;
			sr_jw_raw(w, prefix.p, prefix.len);
			sr_jw_puts(w, last ? "\u2514\u2500" : "\u251c\u2500");
			name = text_node(t, w, c, &tmp, f->name);
			sr_buf_add(&prefix, last ? "   " : "\u2502  ", last ? 3 : 5);
			if (prefix.len != f->plen + (last ? 3u : 5u))
				ok = false;
			else if (max_depth && s.n >= max_depth && sr_tree_at(t, c)->nkids)
				ok = text_collapsed(t, w, c, &prefix, &h); /* c is at depth s.n */
			else if ((ok = push(&s, c, prefix.len)))
				s.f[s.n - 1].name = name;
		}
	}
	sr_jw_drain(w);
	free(s.f);
	free(h.f);
	sr_buf_free(&prefix);
	sr_buf_free(&tmp);
	return ok && !w->oom;
}

/* ------------------------------------------------------------------ */
/* JSON                                                                */

static void json_exec(struct sr_jw *w, const struct sr_tree_exec *x)
{
	sr_jw_puts(w, "{\"path\":");
	sr_jw_cstr(w, x->path);
	sr_jw_puts(w, ",\"argv\":[");
	for (uint32_t i = 0; i < x->argc; i++) {
		if (i)
			sr_jw_c(w, ',');
		sr_jw_cstr(w, x->argv[i]);
	}
	sr_jw_c(w, ']');
	if (x->argv_more)
		sr_jw_puts(w, ",\"argv_more\":true");
	sr_jw_puts(w, x->ok ? ",\"ok\":true" : ",\"ok\":false");
	if (x->err) {
		sr_jw_puts(w, ",\"errno\":");
		sr_jw_cstr(w, x->err);
	}
	sr_jw_puts(w, ",\"line\":");
	sr_jw_u64(w, x->line);
	sr_jw_c(w, '}');
}

static void json_pid(struct sr_jw *w, int64_t tid)
{
	if (tid < 0)
		sr_jw_puts(w, "null");
	else
		sr_jw_i64(w, tid);
}

/* The node's members up to and including "children":[ */
static void json_open(const struct sr_tree *t, struct sr_jw *w, int32_t i)
{
	const struct sr_tree_task *k = sr_tree_at(t, i);
	uint64_t events = k->events, errors = k->errors;
	int64_t first = k->first_ns, last = k->last_ns;

	sr_jw_puts(w, "{\"pid\":");
	json_pid(w, k->tid);
	sr_jw_puts(w, ",\"parent\":");
	if (k->parent >= 0)
		json_pid(w, sr_tree_at(t, k->parent)->tid);
	else
		sr_jw_puts(w, "null");
	if (k->guessed)
		sr_jw_puts(w, ",\"guessed\":true");
	if (k->comm) {
		sr_jw_puts(w, ",\"comm\":");
		sr_jw_cstr(w, k->comm);
	}
	sr_jw_puts(w, ",\"execs\":[");
	for (uint32_t j = 0; j < k->nexecs; j++) {
		if (j)
			sr_jw_c(w, ',');
		json_exec(w, &k->execs[j]);
	}
	sr_jw_puts(w, "],\"exit\":");
	if (k->end == SR_TREE_EXITED) {
		sr_jw_puts(w, "{\"status\":");
		sr_jw_i64(w, k->status);
		sr_jw_c(w, '}');
	} else if (k->end == SR_TREE_KILLED) {
		sr_jw_puts(w, "{\"signal\":");
		sr_jw_cstr(w, k->signal ? k->signal : "?");
		sr_jw_puts(w, k->core ? ",\"core\":true}" : ",\"core\":false}");
	} else {
		sr_jw_puts(w, "null");
	}
	sr_jw_puts(w, ",\"threads\":[");
	for (uint32_t j = 0; j < k->nthreads; j++) {
		const struct sr_tree_task *th = sr_tree_at(t, k->threads[j]);

		if (j)
			sr_jw_c(w, ',');
		json_pid(w, th->tid);
		events += th->events;
		errors += th->errors;
		if (th->first_ns >= 0 && (first < 0 || th->first_ns < first))
			first = th->first_ns;
		if (th->last_ns > last)
			last = th->last_ns;
	}
	sr_jw_puts(w, "],\"events\":");
	sr_jw_u64(w, events);
	sr_jw_puts(w, ",\"errors\":");
	sr_jw_u64(w, errors);
	if (first >= 0) {
		sr_jw_puts(w, ",\"start\":");
		sr_jw_secs(w, first);
		sr_jw_puts(w, ",\"end\":");
		sr_jw_secs(w, last);
	}
	sr_jw_puts(w, ",\"children\":[");
}

bool sr_tree_render_json(const struct sr_tree *t, struct sr_jw *w)
{
	struct stack s = { 0 };
	size_t procs = sr_tree_processes(t);
	bool ok = true, first = true;

	sr_jw_puts(w, "{\"processes\":");
	sr_jw_u64(w, procs);
	sr_jw_puts(w, ",\"threads\":");
	sr_jw_u64(w, sr_tree_count(t) - procs);
	sr_jw_puts(w, ",\"roots\":[");
	for (int32_t r = 0; ok && (size_t)r < sr_tree_count(t); r++) {
		if (!is_root(sr_tree_at(t, r), r))
			continue;
		if (!first)
			sr_jw_c(w, ',');
		first = false;
		json_open(t, w, r);
		ok = push(&s, r, 0);
		while (ok && s.n) {
			struct frame *f = &s.f[s.n - 1];
			const struct sr_tree_task *k = sr_tree_at(t, f->task);
			int32_t c;

			sr_jw_spill(w);
			if (f->next == k->nkids) {
				sr_jw_puts(w, "]}");
				s.n--;
				continue;
			}
			if (f->next)
				sr_jw_c(w, ',');
			c = k->kids[f->next++];
			json_open(t, w, c);
			ok = push(&s, c, 0);
		}
	}
	sr_jw_puts(w, "]}");
	sr_jw_drain(w);
	free(s.f);
	return ok && !w->oom;
}
