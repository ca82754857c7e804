/* Reads /proc/self/exe, which names the binary even when it was started through a
 * relative path or a symbolic link. */
#include "selfpath.h"

#include <errno.h>
#include <string.h>
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
