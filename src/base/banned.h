/*
 * banned.h — functions that do not compile in Parcours (after git's banned.h).
 *
 * Force-included (-include) before every translation unit: it first pulls in
 * the system headers that declare these functions, so their declarations are
 * seen before the poison; any later use in our code is a compile error.
 * Why: unbounded writes (sprintf, strcpy, strcat), hidden state (strtok,
 * gmtime, localtime) and silent failure (atoi).
 */
#ifndef PARCOURS_BANNED_H
#define PARCOURS_BANNED_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#pragma GCC poison sprintf vsprintf strcpy strcat strtok atoi gmtime localtime
#endif
