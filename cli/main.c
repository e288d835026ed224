/*
 * main.c - the sysrep command line: the subcommand dispatch.
 *
 * cli/ is the only code outside libsysrep.a, and uses the library through
 * sysrep.h alone.  One file per subcommand (convert.c, stats.c, view.c for
 * tree and report, formats.c, help.c) and the shared option handling, messages
 * and progress in opts.c.  Errors come back from the library as struct
 * sr_error and are printed once, as "sysrep: <message>".  Exit status: 0 ok,
 * 1 data or I/O error, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "convert", cmd_convert },
		{ "stats", cmd_stats },
		{ "formats", cmd_formats },
		{ "tree", cmd_tree },
		{ "report", cmd_report },
		{ "help", cmd_help },
	};
	const char *cmd = argc > 1 ? argv[1] : NULL;

	opterr = 0; /* getopt_long's own messages lack the hint line */
	if (!cmd) {
		fputs(help_main, stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help"))
		return print_help(help_main);
	if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
		return print_version();
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmds[i].run(argc - 1, argv + 1);
	if (cmd[0] == '-')
		return usage_error("unknown option '%s'", cmd);
	return usage_error("unknown command '%s'", cmd);
}
