/*
 * cmd_import_ft.h — `parcours import-ft FILE.csv… [--state STATE]`: France
 * Travail lists, line by line (interfaces.md; docs/modules/france_travail.md).
 */
#ifndef PARCOURS_CMD_IMPORT_FT_H
#define PARCOURS_CMD_IMPORT_FT_H

struct cli;

/* Imports each file in turn; prints each file's summary, then as its last
 * line "created N, updated N, unchanged N, rejected N". Exit status: 0, or
 * 1 when a line was rejected or a file refused or cut short, 2 on a usage
 * error, 3 when a file could not be opened or the database failed. Lines
 * that match nobody are reported but do not change the status. */
int cmd_import_ft(struct cli *c, int argc, char **argv);

#endif
