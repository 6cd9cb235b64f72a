/*
 * cmd_import_list.h — `parcours import-list FILE --organisation ID
 * --mapping NAME [--map SPEC] [--preview]`: a beneficiary list (CSV or
 * XLSX) with a column mapping saved per organisation (interfaces.md;
 * docs/modules/lists.md).
 */
#ifndef PARCOURS_CMD_IMPORT_LIST_H
#define PARCOURS_CMD_IMPORT_LIST_H

struct cli;

/* --map "Nom=last_name,Prénom=first_name,…" creates or replaces the
 * mapping NAME of the organisation (not saved with --preview, which uses
 * it as given); without it the saved one is used. --preview prints what
 * each line would become and writes nothing. Last line on standard output:
 * "created N, updated N, unchanged N, rejected N". Exit status: 0; 1 when a
 * line was rejected or the file refused; 2 on a usage error (unknown
 * organisation, no such mapping, a malformed --map); 3 when the file cannot
 * be opened or the database failed. */
int cmd_import_list(struct cli *c, int argc, char **argv);

#endif
