/* Reads /proc/self/exe, which names the binary even when it was started through a
 * relative path or a symbolic link. */
#include "selfpath.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>

int selfpath_dir(char *buf, size_t len, struct error *e)
{
    ssize_t n = readlink("/proc/self/exe", buf, len);
    if (n < 0)
        return error_set(e, ERR_RUN, "cannot find the running binary: /proc/self/exe: %s",
                         strerror(errno));
    if ((size_t)n >= len)
        return error_set(e, ERR_RUN, "the path of the running binary is too long");
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL)
        return error_set(e, ERR_RUN, "the path of the running binary has no folder: %s", buf);
    *slash = '\0';
    if (buf[0] == '\0')
        strcpy(buf, "/");
    return ERR_OK;
}

/* Cuts the last part off path; false at the root. */
static bool up(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash == NULL || slash == path)
        return false;
    *slash = '\0';
    return true;
}

int selfpath_project(char *buf, size_t len, struct error *e)
{
    int rc = selfpath_dir(buf, len, e);
    if (rc != ERR_OK)
        return rc;
    char probe[4096];
    size_t keep = strlen(buf);
    for (int depth = 0; depth < 3 && up(buf); depth++) {
        snprintf(probe, sizeof probe, "%s/Makefile", buf);
        if (access(probe, F_OK) == 0)
            return ERR_OK;
    }
    rc = selfpath_dir(buf, len, e);
    if (rc == ERR_OK && strlen(buf) == keep)
        up(buf);
    return rc;
}
