/* The legacy cgroup view for runtimes that refuse hybrid hosts.
 *
 * On a hybrid host the cgroup v1 controllers sit under /sys/fs/cgroup/<controller> and a cgroup2
 * hierarchy is mounted at /sys/fs/cgroup/unified. crun manages such a host only when that cgroup2
 * hierarchy has no controllers ("cgroups in hybrid mode not supported, drop all controllers from
 * cgroupv2"), and here it has one (hugetlb, bound to no v1 hierarchy). The runtime process is
 * therefore given a mount namespace of its own in which the cgroup2 mount is detached: it sees the
 * plain v1 layout and manages the container's cgroups there, as runc does on such a host.
 * The host is untouched: /sys/fs/cgroup is made private in the new namespace before the unmount,
 * so the unmount does not propagate back; every other mount keeps its propagation, so mounts the
 * runtime makes under shared mounts (rshared bind mounts) still reach the host. */
#include "shim.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#define CGROUP_ROOT "/sys/fs/cgroup"
#define CGROUP2_HYBRID CGROUP_ROOT "/unified"

int enter_cgroup_v1_view(char *err, size_t errlen)
{
    if (unshare(CLONE_NEWNS) < 0) {
        snprintf(err, errlen, "unshare(CLONE_NEWNS): %s", strerror(errno));
        return -1;
    }
    if (mount(NULL, CGROUP_ROOT, NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
        if (errno == EINVAL || errno == ENOENT)
            return 0; /* not a mount point: no hybrid layout to hide */
        snprintf(err, errlen, "make %s private: %s", CGROUP_ROOT, strerror(errno));
        return -1;
    }
    if (umount2(CGROUP2_HYBRID, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT) {
        snprintf(err, errlen, "detach %s: %s", CGROUP2_HYBRID, strerror(errno));
        return -1;
    }
    return 0;
}
