/*
 * runstat.c — runs one command and writes how long it took and how much
 * memory it held, for bench/run.sh.
 *
 *   runstat OUT COMMAND [ARG...]
 *
 * Writes one line to OUT: "wall_s user_s sys_s maxrss_kb exit_status".
 * The peak resident set comes from wait4()'s rusage (ru_maxrss), the same
 * figure that GNU time's "Maximum resident set size" prints: exact, where
 * polling /proc/PID/status would miss a peak between two reads, and with no
 * package to install. The wall clock is CLOCK_MONOTONIC, so a clock change
 * during the run does not skew it. The command's own output passes through.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double runstat_seconds(const struct timeval *tv)
{
	return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status = 0, code;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT COMMAND [ARG...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		fprintf(stderr, "runstat: %s: %s\n", argv[2], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 2;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	out = fopen(argv[1], "w");
	if (!out) {
		perror("runstat: output");
		return 2;
	}
	fprintf(out, "%.3f %.3f %.3f %ld %d\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		runstat_seconds(&ru.ru_utime), runstat_seconds(&ru.ru_stime), ru.ru_maxrss, code);
	if (fclose(out))
		return 2;
	return code;
}
