/*
 * overflow.c - the seed's overflow example: a copy past the end of a stack
 * buffer.  Built with -O2 -D_FORTIFY_SOURCE=2 and given an argument longer
 * than 7 bytes, glibc's checked strcpy sees it, prints "*** buffer overflow
 * detected ***" and abort()s: the program dies by SIGABRT (exit status 134
 * in a shell).
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	char name[8];

	strcpy(name, argc > 1 ? argv[1] : "short");
	puts(name);
	return 0;
}
