/*
 * cli.h — the subcommands of `parcours` (interfaces.md, "Command line").
 *
 * Each cmd_*() gets the arguments after its name and the global context;
 * it returns the process exit status: 0 success, 1 input refused, 2 usage
 * error, 3 other failure.
 */
#ifndef PARCOURS_CLI_H
#define PARCOURS_CLI_H

struct db;

enum { EXIT_OK = 0, EXIT_REFUSED = 1, EXIT_USAGE = 2, EXIT_FAILURE_ = 3 };

struct cli {
	const char *db_path;
	struct db *db;   /* opened (and migrated) before the command runs */
	const char *actor; /* "cli:<login name>" for the audit log */
};

/* Parsed options: "--name value" pairs, flags, and the remaining
 * positional arguments. Options with values are declared by the command. */
struct cli_args {
	int argc;
	char **argv;
	int npos;
	char *pos[16];
};

/* Splits args: names listed in with_value take the next argument; other
 * "--x" are flags. Returns -1 (and prints why) on an unknown option or a
 * missing value. known_flags lists the accepted flags. */
int cli_parse(struct cli_args *a, int argc, char **argv, const char *const *with_value,
	      const char *const *known_flags);
/* The value of an option (last one wins), or NULL. */
const char *cli_opt(const struct cli_args *a, const char *name);
/* All values of a repeatable option, in order; returns how many (≤ max). */
int cli_opts(const struct cli_args *a, const char *name, const char **out, int max);
int cli_flag(const struct cli_args *a, const char *name);
/* Reads a password from the file, or asks on the terminal (twice), or reads
 * one line of standard input when it is not a terminal. */
int cli_read_password(const char *file, char *out, size_t size);

int cmd_init(struct cli *c, int argc, char **argv);
int cmd_migrate(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);

#endif
