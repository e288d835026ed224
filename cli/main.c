/*
 * main.c - the sysrep command line: the subcommand dispatch.
 *
 * cli/ is the only code outside libsysrep.a, and uses the library through
 * sysrep.h alone.  One file per subcommand (convert.c, record.c, stats.c,
 * view.c for tree and report, formats.c, help.c) and the shared option handling, messages
 * and progress in opts.c.  Errors come back from the library as struct
 * sr_error and are printed once, as "sysrep: <message>".  Exit status: 0 ok,
 * 1 data or I/O error, 2 usage.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sysrep.h"
#include "cli.h"

/* SIGINT, SIGTERM, SIGHUP: the unfinished outputs go (the library's
 * async-signal-safe sr_discard_outputs), then the signal ends the process
 * as it would have, so the exit status says which (128 + its number). */
static void on_signal(int sig)
{
	sr_discard_outputs();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		/* a signal ignored at start (nohup, a background job) stays so */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaddset(&sa.sa_mask, sigs[i]);
	}
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;

		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(int argc, char **argv);
	} cmds[] = {
		{ "convert", cmd_convert },
		{ "record", cmd_record },
		{ "stats", cmd_stats },
		{ "formats", cmd_formats },
		{ "tree", cmd_tree },
		{ "report", cmd_report },
		{ "help", cmd_help },
	};
	const char *cmd = argc > 1 ? argv[1] : NULL;

	catch_signals();
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
