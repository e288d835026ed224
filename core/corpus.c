/*
 * corpus.c - a directory tree converted in parallel (see sysrep.h).
 *
 * The tree is listed first (nftw), sorted, and grouped (--merge); then jobs
 * threads take items by an index under a mutex.  Each item is its own run
 * (interning table, writer, sink): nothing is shared but the counters.
 *
 * A directory of traces also holds other files (the program traced, a
 * README, a script): converted, each would be an output of unparsed
 * lines that looks like data.  So, unless a reader is given, each file is
 * first recognised (sysrep.h: corpus mode) and the others are skipped,
 * named to the caller, never converted.
 */

#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "sysrep.h"

struct item {
	char **in;      /* owned: full input paths */
	size_t nin;
	char *out;      /* owned: full output path */
};

struct job {
	const struct sr_corpus_opts *o;
	struct item *items;
	size_t nitems, next;
	pthread_mutex_t mu;
	struct sr_corpus_result res;
	size_t dot_at; /* > 0: the paths hold a "/." there that INDIR did not */
};

/* nftw has no context argument: the listing is single-threaded anyway. */
static char **g_paths;
static size_t g_n, g_cap;

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (ftw->level > 0 && base[0] == '.')
		return type == FTW_D ? FTW_SKIP_SUBTREE : FTW_CONTINUE;
	if (type != FTW_F)
		return FTW_CONTINUE;
	if (g_n == g_cap) {
		size_t nc = g_cap ? g_cap * 2 : 64;
		char **p = realloc(g_paths, nc * sizeof(*p));

		if (!p)
			return FTW_STOP;
		g_paths = p;
		g_cap = nc;
	}
	if (!(g_paths[g_n] = strdup(path)))
		return FTW_STOP;
	g_n++;
	return FTW_CONTINUE;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool ends_with(const char *s, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n > k && memcmp(s + n - k, suf, k) == 0;
}

char *sr_corpus_outname(const char *in, const char *ext, bool zst)
{
	size_t n = strlen(in), base;
	const char *slash = strrchr(in, '/'), *dot;
	char *out;

	base = slash ? (size_t)(slash - in) + 1 : 0;
	if (ends_with(in + base, n - base, ".zst"))
		n -= 4;
	else if (ends_with(in + base, n - base, ".gz"))
		n -= 3;
	dot = memrchr(in + base, '.', n - base);
	if (dot && dot > in + base) {
		char suf[32];
		size_t k = (size_t)(in + n - dot - 1);

		if (k >= sizeof(suf) || (memcpy(suf, dot + 1, k), suf[k] = '\0', !all_digits(suf)))
			n = (size_t)(dot - in);
	}
	out = malloc(n + strlen(ext) + 5 + 1);
	if (!out)
		return NULL;
	memcpy(out, in, n);
	strcpy(out + n, ext);
	if (zst)
		strcat(out, ".zst");
	return out;
}

/* "dir/NAME.123" -> length of "dir/NAME", or 0 when no pid suffix. */
static size_t pid_stem(const char *p)
{
	const char *dot = strrchr(p, '.'), *slash = strrchr(p, '/');

	if (!dot || (slash && dot < slash) || !all_digits(dot + 1))
		return 0;
	return (size_t)(dot - p);
}

static int mkdirs(char *path)
{
	/* the parents of path */
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

/* As core/convert.c: enough for every probe (a trace's first lines, a magic). */
#define SNIFF_BYTES 4096

/*
 * The first batch rc reads from src: a trace when it holds more events
 * than unparsed lines.  A probe that is not certain looks at a few
 * markers (") = ", "--- "); the parser looks at whole lines.
 */
static bool first_batch_is_trace(const struct sr_reader_class *rc, struct sr_source *src,
				 const struct sr_opts *fmt, char *why, size_t nwhy)
{
	struct sr_intern *atoms = sr_intern_new();
	struct sr_batch b = { 0 };
	struct sr_reader *r = NULL;
	struct sr_error err = { 0 };
	size_t unparsed = 0;
	bool yes = true; /* out of memory: the conversion reports it */

	if (!atoms || sr_batch_init(&b, atoms) < 0)
		goto out;
	if (rc->open(&r, src, fmt, &err) < 0 || rc->next(r, &b, &err) < 0) {
		snprintf(why, nwhy, "not %s: %.150s", rc->name, err.msg[0] ? err.msg : "unreadable");
		yes = false;
		goto out;
	}
	for (size_t i = 0; i < b.n; i++)
		unparsed += b.ev[i].kind == SR_E_UNPARSED;
	if (b.n - unparsed <= unparsed) {
		snprintf(why, nwhy, "its first lines read as %s: %zu unparsed, %zu events", rc->name,
			 unparsed, b.n - unparsed);
		yes = false;
	}
out:
	if (rc && r)
		rc->close(r);
	sr_batch_free(&b);
	sr_intern_free(atoms);
	return yes;
}

/* True when path is a trace to convert; else why[] says why not.  An input
 * that cannot be opened or read counts as a trace: its conversion fails
 * and reports the error. */
static bool is_trace(const char *path, const struct sr_opts *fmt, char *why, size_t nwhy)
{
	unsigned char head[SNIFF_BYTES];
	struct sr_source *src = NULL;
	struct sr_error err = { 0 };
	const struct sr_reader_class *rc;
	bool yes = true;
	size_t n;
	int score;

	if (sr_source_open(&src, path, &err) < 0)
		return true;
	n = sr_source_peek(src, head, sizeof(head), &err);
	if (err.code < 0)
		goto out;
	rc = n ? sr_reader_detect(head, n) : NULL;
	score = rc ? rc->probe(head, n) : 0;
	if (!n) {
		snprintf(why, nwhy, "empty");
		yes = false;
	} else if (!score) {
		snprintf(why, nwhy, "no reader knows its first bytes");
		yes = false;
	} else if (score < 100) {
		yes = first_batch_is_trace(rc, src, fmt, why, nwhy);
	}
out:
	sr_source_close(src);
	return yes;
}

static void convert_item(struct job *j, struct item *it, struct sr_filter *filter)
{
	const struct sr_corpus_opts *o = j->o;
	struct sr_convert_opts co = *o->conv;
	struct sr_error err = { 0 }, cerr = { 0 };
	struct sr_counts cnt = { 0 };
	struct sr_sink *sink = NULL;
	struct sr_conv *conv = NULL;
	enum sr_status st;
	bool ok;

	co.filter = filter;
	/* without -f, the files that are not traces drop out (of a merge
	 * group too: the others are still one process tree) */
	if (!o->conv->reader) {
		size_t keep = 0;

		for (size_t m = 0; m < it->nin; m++) {
			char why[200];

			if (is_trace(it->in[m], o->conv->fmt, why, sizeof(why))) {
				it->in[keep++] = it->in[m];
				continue;
			}
			pthread_mutex_lock(&j->mu);
			j->res.skipped++;
			if (o->skipped) {
				/* the path as the user named it: "link/x", not "link/./x" */
				char *p = it->in[m], shown[4096];

				if (j->dot_at && strlen(p) > j->dot_at + 2 &&
				    snprintf(shown, sizeof(shown), "%.*s%s", (int)j->dot_at, p,
					     p + j->dot_at + 2) < (int)sizeof(shown))
					p = shown;
				o->skipped(o->ctx, p, why);
			}
			pthread_mutex_unlock(&j->mu);
			free(it->in[m]);
		}
		it->nin = keep;
		if (!keep)
			return;
	}
	if (mkdirs(it->out) < 0) {
		st = sr_error_set(&err, SR_ERR_IO, "cannot create directory: %s", strerror(errno));
		sr_error_file(&err, it->out);
		goto done;
	}
	st = sr_sink_open(&sink, it->out, &err);
	if (st >= 0 && o->zstd_level > 0)
		st = sr_sink_set_zstd(sink, o->zstd_level, 0, &err);
	if (st >= 0)
		st = sr_conv_open(&conv, &co, o->wc, sink, &err);
	if (st >= 0) {
		if (it->nin > 1)
			st = sr_conv_merge(conv, (const char *const *)it->in, it->nin, NULL, &err);
		else
			st = sr_conv_input(conv, NULL, it->in[0], NULL, &err);
	}
	if (st >= 0)
		st = sr_conv_finish(conv, &err);
done:
	ok = conv && sr_conv_complete(conv);
	if (conv)
		cnt = *sr_conv_totals(conv);
	sr_conv_close(conv);
	if (ok) {
		if (sr_sink_close(sink, &cerr) < 0) {
			ok = false;
			err = cerr;
		}
	} else {
		sr_sink_abort(sink);
	}
	pthread_mutex_lock(&j->mu);
	sr_counts_sum(&j->res.counts, &cnt);
	j->res.files++;
	j->res.inputs += it->nin;
	if (!ok || st < 0) {
		j->res.failures++;
		if (o->failed)
			o->failed(o->ctx, &err);
	}
	pthread_mutex_unlock(&j->mu);
}

static void *run_jobs(void *arg)
{
	struct job *j = arg;
	struct sr_filter *f = NULL;

	if (j->o->conv->filter && !(f = sr_filter_clone(j->o->conv->filter)))
		return NULL; /* the other threads carry on */
	for (;;) {
		size_t i;

		pthread_mutex_lock(&j->mu);
		i = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (i >= j->nitems)
			break;
		convert_item(j, &j->items[i], f);
	}
	sr_filter_free(f);
	return NULL;
}

enum sr_status sr_corpus_run(const struct sr_corpus_opts *o, struct sr_corpus_result *res,
			     struct sr_error *err)
{
	struct job j = { .o = o };
	size_t rootlen = strlen(o->indir);
	enum sr_status st = SR_OK;
	struct stat sb;
	int jobs = o->jobs < 1 ? 1 : o->jobs, nth = 0;
	pthread_t *th = NULL;
	char *root = NULL; /* owned: the directory to walk, when not indir */

	memset(res, 0, sizeof(*res));
	if (stat(o->indir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return sr_error_set(err, SR_ERR_USAGE, "-r: not a directory: %s", o->indir);
	/* INDIR itself may be a symbolic link to a directory (FTW_PHYS alone
	 * would list it as one link and find no file: "0 files", exit 0);
	 * INDIR/. is the directory, and the links under it stay unfollowed */
	root = malloc(rootlen + 3);
	if (!root)
		return sr_error_set(err, SR_ERR_NOMEM, "cannot convert the corpus: out of memory");
	memcpy(root, o->indir, rootlen + 1);
	while (rootlen > 1 && root[rootlen - 1] == '/')
		root[--rootlen] = '\0'; /* "link/" is the directory to lstat */
	if (lstat(root, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		j.dot_at = rootlen;
		strcpy(root + rootlen, "/.");
		rootlen += 2;
	} else {
		free(root);
		root = NULL;
		rootlen = strlen(o->indir);
	}
	g_paths = NULL;
	g_n = g_cap = 0;
	if (nftw(root ? root : o->indir, collect, 32, FTW_ACTIONRETVAL | FTW_PHYS) != 0) {
		st = sr_error_set(err, SR_ERR_IO, "cannot list the directory: %s", strerror(errno));
		sr_error_file(err, o->indir);
		goto out;
	}
	qsort(g_paths, g_n, sizeof(*g_paths), cmp_str);
	j.items = calloc(g_n ? g_n : 1, sizeof(*j.items));
	if (!j.items)
		goto nomem;
	while ((root ? root : o->indir)[rootlen - 1] == '/' && rootlen > 1)
		rootlen--;
	for (size_t i = 0; i < g_n;) {
		struct item *it = &j.items[j.nitems++];
		size_t stem = o->merge ? pid_stem(g_paths[i]) : 0, k = i + 1;
		const char *rel;
		char *name;

		/* NAME.PID siblings are adjacent once sorted */
		if (stem)
			while (k < g_n && pid_stem(g_paths[k]) == stem &&
			       !strncmp(g_paths[k], g_paths[i], stem))
				k++;
		it->nin = k - i;
		it->in = malloc(it->nin * sizeof(*it->in));
		if (!it->in)
			goto nomem;
		for (size_t m = 0; m < it->nin; m++) {
			it->in[m] = g_paths[i + m];
			g_paths[i + m] = NULL;
		}
		rel = it->in[0] + rootlen;
		while (*rel == '/')
			rel++;
		if (it->nin > 1) {
			name = strndup(rel, stem - (size_t)(rel - it->in[0]));
			rel = name;
		} else {
			name = NULL;
		}
		{
			char *o_rel = rel ? sr_corpus_outname(rel, o->wc->ext ? o->wc->ext : "",
							       o->zstd_level > 0) : NULL;

			it->out = o_rel ? malloc(strlen(o->outdir) + strlen(o_rel) + 2) : NULL;
			if (it->out)
				sprintf(it->out, "%s/%s", o->outdir, o_rel);
			free(o_rel);
		}
		free(name);
		if (!it->out)
			goto nomem;
		i = k;
	}
	pthread_mutex_init(&j.mu, NULL);
	th = calloc((size_t)jobs, sizeof(*th));
	if (!th)
		goto nomem;
	for (; nth < jobs; nth++)
		if (pthread_create(&th[nth], NULL, run_jobs, &j) != 0)
			break;
	if (!nth)
		run_jobs(&j);
	for (int t = 0; t < nth; t++)
		pthread_join(th[t], NULL);
	pthread_mutex_destroy(&j.mu);
	*res = j.res;
	goto out;
nomem:
	st = sr_error_set(err, SR_ERR_NOMEM, "cannot convert the corpus: out of memory");
out:
	for (size_t i = 0; i < j.nitems; i++) {
		for (size_t m = 0; j.items[i].in && m < j.items[i].nin; m++)
			free(j.items[i].in[m]);
		free(j.items[i].in);
		free(j.items[i].out);
	}
	free(j.items);
	for (size_t i = 0; i < g_n; i++)
		free(g_paths[i]);
	free(g_paths);
	g_paths = NULL;
	free(th);
	free(root);
	return st;
}
