/*
 * gen_rand.h — the pseudo-random stream of the bench's generators
 * (bench/caf_gen.c, bench/gen_people.h): static functions only, one word of
 * state that each generator seeds per record, so that record i is always
 * the same whatever was written before it.
 */
#ifndef BENCH_GEN_RAND_H
#define BENCH_GEN_RAND_H

#include <stdint.h>

static uint64_t gen_state;

static uint64_t gen_next(void)
{
	/* splitmix64: good enough spread for test data, one word of state. */
	uint64_t z = (gen_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static unsigned gen_below(unsigned n)
{
	return (unsigned)(gen_next() % n);
}

#endif
