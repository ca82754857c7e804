# Workload facts, the one place the scripts read them: sourced by scripts/report and
# scripts/tune. Nothing here names a workload; the binaries own that list.
# shellcheck shell=bash

# Prints one line per workload, in the registry's order (the order of the report's
# sections): name TAB bound TAB default_tasks TAB summary. From META's `workloads` (the
# runner copies `--list --format json` there) when META is given and has it, else from
# BIN --list --format json, else from the text of BIN --list. Prints nothing when none
# of them can be read.
workload_facts() {
    local meta=$1 bin=$2 json
    local to_tsv='.[] | [.name, (.bound // "-"), (.default_tasks // "-" | tostring), (.summary // "-")] | @tsv'
    if [ -n "$meta" ] && [ -f "$meta" ] && jq -e '.workloads | type == "array" and length > 0' "$meta" >/dev/null 2>&1; then
        jq -r ".workloads | $to_tsv" "$meta"
        return
    fi
    [ -x "$bin" ] || return 0
    if json=$("$bin" --list --format json 2>/dev/null) && jq -e 'type == "array"' >/dev/null 2>&1 <<<"$json"; then
        jq -r "$to_tsv" <<<"$json"
        return
    fi
    # The text form: "sleep (bound by waiting, 32 tasks by default): each task sleeps ..."
    "$bin" --list 2>/dev/null | sed -n 's/^\([a-z_][a-z0-9_]*\) (bound by \([^,]*\), \([0-9]*\) tasks\{0,1\} by default): \(.*\)$/\1\t\2\t\3\t\4/p'
}
