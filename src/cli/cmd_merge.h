/*
 * cmd_merge.h — `parcours merge KEEP_ID ABSORBED_ID [--dry-run]`: merges
 * two records of the same person (docs/modules/merge.md).
 */
#ifndef PARCOURS_CMD_MERGE_H
#define PARCOURS_CMD_MERGE_H

struct cli;

/* Prints what moves (or would move, with --dry-run). Exit status: 0 merged
 * (or would be), 1 refused (the same id twice, an unknown id, a rule that
 * would break: problems on stderr, nothing written), 2 usage, 3 failure. */
int cmd_merge(struct cli *c, int argc, char **argv);

#endif
