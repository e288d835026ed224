/*
 * stats_print.c - what "sysrep stats" prints (see sysrep.h: statistics):
 * the counts as text or JSON, and the strace -c table.  The caller gives
 * the stream; nothing here chooses stdout or stderr on its own.
 */
#include <stdio.h>

#include "sysrep.h"

/* A JSON string literal; file names may hold anything. */
static void json_str(FILE *f, const char *s)
{
	putc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else if (p[0] == 0xc2 && p[1] == 0x85)
			/* U+0085, U+2028, U+2029: line splitters break there */
			fputs("\\u0085", f), p++;
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			fputs(p[2] == 0xa8 ? "\\u2028" : "\\u2029", f), p += 2;
		else
			putc(*p, f);
	}
	putc('"', f);
}

/* The members shared by the totals and each per_file entry. */
static void json_counts(FILE *f, const struct sr_counts *c)
{
	fprintf(f,
		"\"lines\":%llu,\"events\":%llu,\"unparsed\":%llu,"
		"\"verbatim\":%llu,\"attached\":%llu,\"bytes\":%llu,\"kinds\":{",
		(unsigned long long)c->lines, (unsigned long long)c->events,
		(unsigned long long)c->unparsed, (unsigned long long)c->verbatim,
		(unsigned long long)c->attached, (unsigned long long)c->bytes_in);
	for (int k = 1; k < SR_E__COUNT; k++) {
		fprintf(f, "%s", k > 1 ? "," : "");
		json_str(f, sr_ekind_name(k));
		fprintf(f, ":%llu", (unsigned long long)c->by_kind[k]);
	}
	fputs("}", f);
}

void sr_sysstats_print(struct sr_sysstats *ss, FILE *out, FILE *note)
{
	static const char rule[] =
		"------ ----------- ----------- --------- --------- ----------------\n";
	struct sr_sysrow total;
	const struct sr_sysrow *rows;
	size_t n;
	bool timed;

	rows = sr_sysstats_rows(ss, &n, &total, &timed);
	fprintf(out, "%6.6s %11.11s %11.11s %9.9s %9.9s %s\n", "% time", "seconds",
		"usecs/call", "calls", "errors", "syscall");
	fputs(rule, out);
	for (size_t i = 0; i < n; i++) {
		const struct sr_sysrow *r = &rows[i];

		fprintf(out, "%6.2f %11.6f %11llu %9llu %9.llu %s\n",
			total.ns ? 100.0 * (double)r->ns / (double)total.ns : 0.0, r->ns / 1e9,
			(unsigned long long)(r->calls ? r->ns / r->calls / 1000 : 0),
			(unsigned long long)r->calls,
			(unsigned long long)r->errors, r->name->str);
	}
	fputs(rule, out);
	fprintf(out, "%6.6s %11.6f %11llu %9llu %9.llu %s\n", "100.00", total.ns / 1e9,
		(unsigned long long)(total.calls ? total.ns / total.calls / 1000 : 0),
		(unsigned long long)total.calls, (unsigned long long)total.errors, "total");
	if (!timed && total.calls)
		fputs("(no -T durations in the input: the time columns are zero)\n", note);
}

static void json_syscalls(FILE *f, struct sr_sysstats *ss)
{
	struct sr_sysrow total;
	const struct sr_sysrow *rows;
	size_t n;
	bool timed;

	rows = sr_sysstats_rows(ss, &n, &total, &timed);
	fprintf(f, ",\"timed\":%s,\"syscalls\":[", timed ? "true" : "false");
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",{\"name\":" : "{\"name\":", f);
		json_str(f, rows[i].name->str);
		fprintf(f, ",\"calls\":%llu,\"errors\":%llu", (unsigned long long)rows[i].calls,
			(unsigned long long)rows[i].errors);
		/* without -T the input has no time: the keys are absent, not 0 */
		if (timed)
			fprintf(f, ",\"seconds\":%.6f,\"usecs_per_call\":%llu", rows[i].ns / 1e9,
				/* a summary row may say 0 calls (found by fuzzing: SIGFPE) */
				(unsigned long long)(rows[i].calls ? rows[i].ns / rows[i].calls / 1000
								   : 0));
		fputc('}', f);
	}
	fputs("]", f);
}

void sr_stats_print_json(FILE *out, const struct sr_file_stats *fs, int n,
			 const struct sr_counts *total, struct sr_sysstats *ss)
{
	fprintf(out, "{\"files\":%d,", n);
	json_counts(out, total);
	json_syscalls(out, ss);
	if (n > 1) {
		fputs(",\"per_file\":[", out);
		for (int i = 0; i < n; i++) {
			fputs(i ? ",{\"file\":" : "{\"file\":", out);
			json_str(out, fs[i].name);
			fputs(",\"format\":", out);
			json_str(out, fs[i].format);
			fputs(",", out);
			json_counts(out, &fs[i].c);
			fputs("}", out);
		}
		fputs("]", out);
	}
	fputs("}\n", out);
}

static void print_counts_block(FILE *out, const struct sr_counts *c)
{
	fprintf(out, "  %-12s %12llu\n", "lines", (unsigned long long)c->lines);
	fprintf(out, "  %-12s %12llu\n", "events", (unsigned long long)c->events);
	for (int k = 1; k < SR_E__COUNT; k++)
		if (c->by_kind[k] && k != SR_E_UNPARSED)
			fprintf(out, "    %-10s %12llu\n", sr_ekind_name(k),
				(unsigned long long)c->by_kind[k]);
	fprintf(out, "  %-12s %12llu\n", "unparsed", (unsigned long long)c->unparsed);
	fprintf(out, "  %-12s %12llu\n", "verbatim", (unsigned long long)c->verbatim);
	fprintf(out, "  %-12s %12llu\n", "attached", (unsigned long long)c->attached);
	fprintf(out, "  %-12s %12llu\n", "bytes", (unsigned long long)c->bytes_in);
}

void sr_stats_print_text(FILE *out, const struct sr_file_stats *fs, int n,
			 const struct sr_counts *total)
{
	if (n > 1) {
		fprintf(out, "%-32s %10s %10s %9s %9s %9s %12s\n", "file", "lines", "events",
			"unparsed", "verbatim", "attached", "bytes");
		for (int i = 0; i < n; i++) {
			const struct sr_counts *c = &fs[i].c;

			fprintf(out, "%-32s %10llu %10llu %9llu %9llu %9llu %12llu\n", fs[i].name,
				(unsigned long long)c->lines, (unsigned long long)c->events,
				(unsigned long long)c->unparsed, (unsigned long long)c->verbatim,
				(unsigned long long)c->attached, (unsigned long long)c->bytes_in);
		}
		fprintf(out, "\ntotal (%d files):\n", n);
	} else {
		fprintf(out, "%s (%s):\n", fs[0].name, fs[0].format);
	}
	print_counts_block(out, total);
}
