/* Word wrapping for --help. */
#include "helptext.h"

#include <string.h>

#define HELP_WIDTH 80
#define HELP_INDENT 22

void helptext_item(FILE *f, const char *label, const char *text)
{
    int col = fprintf(f, "  %s", label);
    if (col >= HELP_INDENT - 1) {
        fputc('\n', f);
        col = 0;
    }
    fprintf(f, "%*s", HELP_INDENT - col, "");
    col = HELP_INDENT;
    const char *p = text;
    while (*p != '\0') {
        size_t word = strcspn(p, " ");
        if (col > HELP_INDENT && col + 1 + (int)word > HELP_WIDTH) {
            fprintf(f, "\n%*s", HELP_INDENT, "");
            col = HELP_INDENT;
        } else if (col > HELP_INDENT) {
            fputc(' ', f);
            col++;
        }
        fwrite(p, 1, word, f);
        col += (int)word;
        p += word;
        p += strspn(p, " ");
    }
    fputc('\n', f);
}
