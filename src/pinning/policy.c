/* The machine's topology is loaded only for a PU list: a named policy fits any machine. */
#include "policy.h"

#include "topology.h"

int policy_accept(const char *from, const char *text, struct affinity_policy *out,
                  struct error *e)
{
    struct error why;
    int rc = affinity_parse(text, out, &why);
    if (rc == ERR_OK && out->kind != AFFINITY_LIST)
        return ERR_OK;
    hwloc_topology_t t;
    int trc = topology_get(&t, e);
    if (trc != ERR_OK)
        return trc;
    if (rc == ERR_OK) {
        rc = affinity_check(t, out, &why);
        if (rc == ERR_OK)
            return ERR_OK;
        return error_set(e, rc, "%s: %s", from, why.msg);
    }
    char allowed[256];
    affinity_allowed_text(t, allowed, sizeof allowed);
    return error_set(e, rc, "%s: %s; expected %s, of the allowed PUs %s", from, why.msg,
                     AFFINITY_ACCEPTS, allowed);
}
