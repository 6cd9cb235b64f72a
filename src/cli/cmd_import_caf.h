/*
 * cmd_import_caf.h — `parcours import-caf FILE.xml… [--validate --xsd PATH]
 * [--force]`: the CAF/MSA beneficiaries flux, household by household
 * (interfaces.md; docs/modules/caf.md).
 */
#ifndef PARCOURS_CMD_IMPORT_CAF_H
#define PARCOURS_CMD_IMPORT_CAF_H

struct cli;

/* Imports each file in turn; prints each file's summary, then as its last
 * line "created N, updated N, unchanged N, rejected N". Exit status: 0, or
 * 1 when a household was rejected or a file refused or cut short, 2 on a
 * usage error, 3 when a file could not be opened or the database failed. */
int cmd_import_caf(struct cli *c, int argc, char **argv);

#endif
