/*
 * filter.c - the filter stage (see sysrep.h).
 *
 * A name's verdict is computed once per atom and kept in a table indexed by
 * atom id (checked against the atom, as a run may mix tables), so filtering
 * a batch costs a load and a compare per event.
 */

#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysrep.h"

/* core/tables/classes.in, one { "%class", "name name ..." } per line */
static const struct {
	const char *name, *members;
} classes[] = {
#include "classes.h"
};

struct verdict {
	const struct sr_atom *atom; /* borrowed: the key */
	bool pass;
};

struct sr_filter {
	bool has_trace;     /* -e trace= was given */
	bool negate;        /* "!SET" */
	bool all;           /* "all" is in the set */
	char **names;       /* owned */
	size_t nnames;
	const char **cls;   /* borrowed: classes[].members */
	size_t ncls;
	regex_t *re;        /* owned */
	char **re_src;      /* owned: each regex as given, for sr_filter_clone */
	size_t nre;
	int64_t *pids;      /* owned */
	size_t npids;
	enum sr_filter_status status;
	double since, until; /* NAN: open */
	struct verdict *memo; /* owned: by atom id */
	size_t nmemo;
};

const char *sr_filter_class(const char *cls)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (!strcmp(classes[i].name, cls))
			return classes[i].members;
	if (!strcmp(cls, "%net"))
		return sr_filter_class("%network");
	return NULL;
}

struct sr_filter *sr_filter_new(void)
{
	struct sr_filter *f = calloc(1, sizeof(*f));

	if (f)
		f->since = f->until = NAN;
	return f;
}

static void clear_trace(struct sr_filter *f)
{
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	for (size_t i = 0; i < f->nre; i++) {
		regfree(&f->re[i]);
		free(f->re_src[i]);
	}
	free(f->re_src);
	free(f->names);
	free(f->cls);
	free(f->re);
	f->names = NULL;
	f->cls = NULL;
	f->re = NULL;
	f->re_src = NULL;
	f->nnames = f->ncls = f->nre = 0;
	f->all = f->negate = f->has_trace = false;
	free(f->memo);
	f->memo = NULL;
	f->nmemo = 0;
}

void sr_filter_free(struct sr_filter *f)
{
	if (!f)
		return;
	clear_trace(f);
	free(f->pids);
	free(f);
}

static bool push(void *pp, size_t *n, size_t size)
{
	void **p = pp;
	void *q = realloc(*p, (*n + 1) * size);

	if (!q)
		return false;
	*p = q;
	(*n)++;
	return true;
}

/* A name of one of the syscall tables (every arch), or strace's name for
 * a number it had none for ("syscall_0x1b4"). */
static bool known_syscall(const char *name)
{
	static const enum sr_arch arches[] = { SR_ARCH_X86_64, SR_ARCH_I386, SR_ARCH_AARCH64 };

	for (size_t i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (sr_syscall_nr(arches[i], name, strlen(name)) >= 0)
			return true;
	return !strncmp(name, "syscall_", 8);
}

enum sr_status sr_filter_trace(struct sr_filter *f, const char *spec, struct sr_error *err)
{
	char *copy, *tok, *save = NULL;
	const char *eq = strchr(spec, '=');
	enum sr_status st = SR_OK;

	if (eq) {
		if ((size_t)(eq - spec) != 5 || strncmp(spec, "trace", 5) != 0)
			return sr_error_set(err, SR_ERR_USAGE,
					    "-e: only trace=SET is supported, not '%.*s='",
					    (int)(eq - spec), spec);
		spec = eq + 1;
	}
	clear_trace(f);
	f->has_trace = true;
	if (*spec == '!') {
		f->negate = true;
		spec++;
	}
	if (!*spec) /* strace: "must have at least one system call" */
		return sr_error_set(err, SR_ERR_USAGE,
				    "-e trace: empty set (name syscalls, %%class, /regex, all or none)");
	copy = strdup(spec);
	if (!copy)
		return sr_error_set(err, SR_ERR_NOMEM, "-e: out of memory");
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		bool quiet = *tok == '?'; /* strace: no error when unknown */

		if (quiet)
			tok++;
		if (!*tok || !strcmp(tok, "none"))
			continue;
		if (!strcmp(tok, "all")) {
			f->all = true;
		} else if (*tok == '%') {
			const char *m = sr_filter_class(tok);

			if (!m) {
				st = sr_error_set(err, SR_ERR_USAGE, "-e trace: unknown class '%s'",
						  tok);
				break;
			}
			if (!push(&f->cls, &f->ncls, sizeof(*f->cls))) {
				st = SR_ERR_NOMEM;
				break;
			}
			f->cls[f->ncls - 1] = m;
		} else if (*tok == '/') {
			regex_t re;
			int rc = regcomp(&re, tok + 1, REG_EXTENDED | REG_NOSUB);

			if (rc) {
				char msg[128];

				regerror(rc, &re, msg, sizeof(msg));
				st = sr_error_set(err, SR_ERR_USAGE, "-e trace: bad regex '%s': %s",
						  tok + 1, msg);
				break;
			}
			{
				size_t n = f->nre;
				char *src = strdup(tok + 1);

				if (!src || !push(&f->re_src, &n, sizeof(*f->re_src)) ||
				    !push(&f->re, &f->nre, sizeof(*f->re))) {
					if (n > f->nre)
						n--;
					free(src);
					regfree(&re);
					st = SR_ERR_NOMEM;
					break;
				}
				f->re_src[f->nre - 1] = src;
				f->re[f->nre - 1] = re;
			}
		} else {
			char *d;

			if (!quiet && !known_syscall(tok)) {
				st = sr_error_set(err, SR_ERR_USAGE,
						  "-e trace: invalid system call '%s' (not in the x86_64, "
						  "i386 or aarch64 table; ?%s accepts it)", tok, tok);
				break;
			}
			d = strdup(tok);

			if (!d || !push(&f->names, &f->nnames, sizeof(*f->names))) {
				free(d);
				st = SR_ERR_NOMEM;
				break;
			}
			f->names[f->nnames - 1] = d;
		}
	}
	free(copy);
	if (st == SR_ERR_NOMEM)
		st = sr_error_set(err, SR_ERR_NOMEM, "-e: out of memory");
	return st;
}

enum sr_status sr_filter_pids(struct sr_filter *f, const char *list, struct sr_error *err)
{
	const char *p = list;

	for (;;) {
		char *end;
		long long v = strtoll(p, &end, 10);

		if (end == p || v < 0 || (*end && *end != ','))
			return sr_error_set(err, SR_ERR_USAGE, "--pid: bad pid list '%s'", list);
		if (!push(&f->pids, &f->npids, sizeof(*f->pids)))
			return sr_error_set(err, SR_ERR_NOMEM, "--pid: out of memory");
		f->pids[f->npids - 1] = v;
		if (!*end)
			return SR_OK;
		p = end + 1;
	}
}

void sr_filter_status(struct sr_filter *f, enum sr_filter_status s)
{
	f->status = s;
}

bool sr_filter_parse_time(const char *s, double *out)
{
	char *end;
	double v = 0, part;
	int fields = 0;

	for (;;) {
		part = strtod(s, &end);
		if (end == s || part < 0)
			return false;
		v = v * 60 + part;
		fields++;
		if (*end != ':')
			break;
		if (fields == 3 || strchr(s, '.') < end)
			return false;
		s = end + 1;
	}
	if (*end)
		return false;
	*out = v;
	return true;
}

void sr_filter_window(struct sr_filter *f, double since, double until)
{
	f->since = since;
	f->until = until;
}

void sr_filter_window_end(struct sr_filter *f, bool since, double t)
{
	if (since)
		f->since = t;
	else
		f->until = t;
}

bool sr_filter_is_empty(const struct sr_filter *f)
{
	return !f->has_trace && !f->npids && !f->status && isnan(f->since) && isnan(f->until);
}

static bool word_in(const char *list, const char *w, size_t n)
{
	for (const char *p = list; (p = strstr(p, w)); p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

static bool in_set(const struct sr_filter *f, const struct sr_atom *a)
{
	if (f->all)
		return true;
	for (size_t i = 0; i < f->nnames; i++)
		if (!strcmp(f->names[i], a->str))
			return true;
	for (size_t i = 0; i < f->ncls; i++)
		if (word_in(f->cls[i], a->str, a->len))
			return true;
	for (size_t i = 0; i < f->nre; i++)
		if (!regexec(&f->re[i], a->str, 0, NULL, 0))
			return true;
	return false;
}

static bool name_passes(struct sr_filter *f, const struct sr_atom *a)
{
	bool pass;

	if (!a)
		return !f->negate ? f->all : !f->all;
	if (a->id < f->nmemo && f->memo[a->id].atom == a)
		return f->memo[a->id].pass;
	pass = in_set(f, a) != f->negate;
	if (a->id >= f->nmemo) {
		size_t n = f->nmemo ? f->nmemo : 256;
		struct verdict *m;

		while (n <= a->id)
			n *= 2;
		m = realloc(f->memo, n * sizeof(*m));
		if (!m)
			return pass; /* no memo: only slower */
		memset(m + f->nmemo, 0, (n - f->nmemo) * sizeof(*m));
		f->memo = m;
		f->nmemo = n;
	}
	f->memo[a->id] = (struct verdict){ a, pass };
	return pass;
}

bool sr_filter_event(struct sr_filter *f, const struct sr_event *ev)
{
	bool call = ev->kind == SR_E_SYSCALL || ev->kind == SR_E_UNFINISHED;

	if (f->npids) {
		size_t i;

		if (ev->lead.pid < 0) {
			if (ev->kind != SR_E_MESSAGE && ev->kind != SR_E_SUMMARY &&
			    ev->kind != SR_E_UNPARSED)
				return false;
		} else {
			for (i = 0; i < f->npids && f->pids[i] != ev->lead.pid; i++)
				;
			if (i == f->npids)
				return false;
		}
	}
	if (call && f->has_trace && !name_passes(f, ev->name))
		return false;
	if (call && f->status) {
		if (ev->kind == SR_E_UNFINISHED)
			return false;
		if (f->status == SR_FILTER_FAILED ? !ev->err : ev->err || !ev->has_ret || !ev->ret)
			return false;
	}
	if ((!isnan(f->since) || !isnan(f->until)) &&
	    (ev->lead.time.clock == SR_CLOCK_TOD || ev->lead.time.clock == SR_CLOCK_EPOCH)) {
		double t = (double)ev->lead.time.sec + ev->lead.time.nsec / 1e9;

		if ((!isnan(f->since) && t < f->since) || (!isnan(f->until) && t >= f->until))
			return false;
	}
	return true;
}

void sr_filter_batch(struct sr_filter *f, struct sr_batch *b)
{
	size_t k = 0;

	for (size_t i = 0; i < b->n; i++) {
		if (!sr_filter_event(f, &b->ev[i]))
			continue;
		if (k != i)
			b->ev[k] = b->ev[i];
		k++;
	}
	b->n = k;
}

struct sr_filter *sr_filter_clone(const struct sr_filter *f)
{
	struct sr_filter *c = sr_filter_new();
	bool ok = c != NULL;

	if (!ok)
		return NULL;
	c->has_trace = f->has_trace;
	c->negate = f->negate;
	c->all = f->all;
	c->status = f->status;
	c->since = f->since;
	c->until = f->until;
	for (size_t i = 0; ok && i < f->nnames; i++) {
		char *d = strdup(f->names[i]);

		ok = d && push(&c->names, &c->nnames, sizeof(*c->names));
		if (ok)
			c->names[c->nnames - 1] = d;
		else
			free(d);
	}
	for (size_t i = 0; ok && i < f->ncls; i++) {
		ok = push(&c->cls, &c->ncls, sizeof(*c->cls));
		if (ok)
			c->cls[c->ncls - 1] = f->cls[i];
	}
	for (size_t i = 0; ok && i < f->nre; i++) {
		size_t n = c->nre;
		char *src = strdup(f->re_src[i]);

		ok = src && push(&c->re_src, &n, sizeof(*c->re_src)) &&
		     push(&c->re, &c->nre, sizeof(*c->re));
		if (ok) {
			c->re_src[c->nre - 1] = src;
			/* compiled before: it compiles again */
			ok = !regcomp(&c->re[c->nre - 1], src, REG_EXTENDED | REG_NOSUB);
			if (!ok)
				c->nre--;
		} else {
			free(src);
		}
	}
	for (size_t i = 0; ok && i < f->npids; i++) {
		ok = push(&c->pids, &c->npids, sizeof(*c->pids));
		if (ok)
			c->pids[c->npids - 1] = f->pids[i];
	}
	if (!ok) {
		sr_filter_free(c);
		return NULL;
	}
	return c;
}
