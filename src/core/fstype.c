/* Finds a folder's filesystem type: first by its device in /proc/self/mountinfo, which
 * names it exactly (ext4, not "ext2/3/4"), else by statfs's magic number. */
#include "fstype.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>

static const struct {
    unsigned long magic;
    const char *name;
} magics[] = {
    { 0xEF53, "ext4" },        { 0x58465342, "xfs" },     { 0x9123683E, "btrfs" },
    { 0x01021994, "tmpfs" },   { 0x794C7630, "overlay" }, { 0x6969, "nfs" },
    { 0x2FC12FC1, "zfs" },     { 0xF2F52010, "f2fs" },    { 0x4d44, "vfat" },
    { 0x65735546, "fuse" },    { 0x858458f6, "ramfs" },   { 0xFF534D42, "cifs" },
};

static int from_mountinfo(const char *path, char *buf, size_t len)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    FILE *f = fopen("/proc/self/mountinfo", "r");
    if (f == NULL)
        return -1;
    char line[4096];
    int found = -1;
    /* Fields: id parent major:minor root mountpoint options [optional...] - type source */
    while (found != 0 && fgets(line, sizeof line, f) != NULL) {
        unsigned maj, min;
        if (sscanf(line, "%*d %*d %u:%u", &maj, &min) != 2)
            continue;
        if (makedev(maj, min) != st.st_dev)
            continue;
        const char *sep = strstr(line, " - ");
        char type[64];
        if (sep != NULL && sscanf(sep + 3, "%63s", type) == 1) {
            snprintf(buf, len, "%s", type);
            found = 0;
        }
    }
    fclose(f);
    return found;
}

void fstype_of(const char *path, char *buf, size_t len)
{
    if (from_mountinfo(path, buf, len) == 0)
        return;
    struct statfs sf;
    snprintf(buf, len, "unknown");
    if (statfs(path, &sf) != 0)
        return;
    for (size_t k = 0; k < sizeof magics / sizeof magics[0]; k++)
        if ((unsigned long)sf.f_type == magics[k].magic) {
            snprintf(buf, len, "%s", magics[k].name);
            return;
        }
    snprintf(buf, len, "0x%lx", (unsigned long)sf.f_type);
}
