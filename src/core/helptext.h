/* --help's layout: an item's label, then its text wrapped to the terminal's customary
 * 80 columns under a hanging indent, so that tables of options and variables print the
 * same way. */
#ifndef BENCH_HELPTEXT_H
#define BENCH_HELPTEXT_H

#include <stdio.h>

/* Prints "  LABEL   text..." with text wrapped at word boundaries. */
void helptext_item(FILE *f, const char *label, const char *text);

#endif
