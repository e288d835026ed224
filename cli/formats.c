/*
 * formats.c - "sysrep formats": the readers and writers of the registry.
 */
#include <stdio.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

static int str_width(const char *s, int w)
{
	int n = s ? (int)strlen(s) : 0;

	return n > w ? n : w;
}

static void format_line(int nw, int ew, const char *name, const char *exts, const char *summary)
{
	printf("  %-*s  %-*s  %s\n", nw, name, ew, exts ? exts : "", summary ? summary : "");
}

int cmd_formats(int argc, char **argv)
{
	const struct sr_reader_class *const *r;
	const struct sr_writer_class *const *w;
	int nw = 0, ew = 0;

	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return print_help(help_formats);
	if (argc > 1)
		return usage_error("formats: unexpected argument '%s'", argv[1]);
	/* one column width for both tables */
	for (r = sr_readers(); *r; r++) {
		nw = str_width((*r)->name, nw);
		ew = str_width((*r)->exts, ew);
	}
	for (w = sr_writers(); *w; w++) {
		nw = str_width((*w)->name, nw);
		ew = str_width((*w)->ext, ew);
	}
	puts("Readers (-f FROM):");
	for (r = sr_readers(); *r; r++)
		format_line(nw, ew, (*r)->name, (*r)->exts, (*r)->summary);
	puts("Writers (-t TO):");
	for (w = sr_writers(); *w; w++)
		format_line(nw, ew, (*w)->name, (*w)->ext, (*w)->summary);
	return flush_stdout();
}
