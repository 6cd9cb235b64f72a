/* args.c — option parsing and password input for the subcommands. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli.h"

static int listed(const char *const *names, const char *s)
{
	for (; names && *names; names++)
		if (strcmp(*names, s) == 0)
			return 1;
	return 0;
}

int cli_parse(struct cli_args *a, int argc, char **argv, const char *const *with_value,
	      const char *const *known_flags)
{
	a->argc = argc;
	a->argv = argv;
	a->npos = 0;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "--", 2) != 0 || strcmp(argv[i], "-") == 0) {
			if (a->npos == 16) {
				fprintf(stderr, "parcours: too many arguments\n");
				return -1;
			}
			a->pos[a->npos++] = argv[i];
		} else if (listed(with_value, argv[i])) {
			if (++i == argc) {
				fprintf(stderr, "parcours: %s needs a value\n", argv[i - 1]);
				return -1;
			}
		} else if (!listed(known_flags, argv[i])) {
			fprintf(stderr, "parcours: unknown option %s\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
	const char *v = NULL;

	for (int i = 0; i + 1 < a->argc; i++)
		if (strcmp(a->argv[i], name) == 0)
			v = a->argv[++i];
	return v;
}

int cli_opts(const struct cli_args *a, const char *name, const char **out, int max)
{
	int n = 0;

	for (int i = 0; i + 1 < a->argc && n < max; i++)
		if (strcmp(a->argv[i], name) == 0)
			out[n++] = a->argv[++i];
	return n;
}

int cli_flag(const struct cli_args *a, const char *name)
{
	for (int i = 0; i < a->argc; i++)
		if (strcmp(a->argv[i], name) == 0)
			return 1;
	return 0;
}

static int read_line(FILE *f, char *out, size_t size)
{
	size_t n;

	if (!fgets(out, (int)size, f))
		return -1;
	n = strlen(out);
	while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
		out[--n] = '\0';
	return 0;
}

static int ask(const char *prompt, char *out, size_t size)
{
	struct termios old, quiet;
	int rc;

	fprintf(stderr, "%s", prompt);
	tcgetattr(0, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(0, TCSANOW, &quiet);
	rc = read_line(stdin, out, size);
	tcsetattr(0, TCSANOW, &old);
	fprintf(stderr, "\n");
	return rc;
}

int cli_read_password(const char *file, char *out, size_t size)
{
	char again[256];
	FILE *f;
	int rc;

	if (file) {
		f = fopen(file, "r");
		if (!f) {
			perror(file);
			return -1;
		}
		rc = read_line(f, out, size);
		fclose(f);
		return rc;
	}
	if (!isatty(0))
		return read_line(stdin, out, size);
	if (ask("Mot de passe : ", out, size) || ask("Confirmez : ", again, sizeof again))
		return -1;
	if (strcmp(out, again) != 0) {
		fprintf(stderr, "parcours: les deux saisies diffèrent\n");
		return -1;
	}
	return 0;
}
