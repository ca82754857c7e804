#!/usr/bin/env bats
# bench-summary learns which workloads wait (their ideal speedup) from the workload
# descriptors, through bench-seq --list --format json: given as a file, copied into
# meta.json, or asked of the bench-seq beside it. Nothing in the summary names a workload.

bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || exit 1
    F=tests/fixtures/crafted
    tmp=$(mktemp -d)
}

teardown() {
    rm -rf "$tmp"
}

# The ideal_speedup column (21st) of the rows of workload $1 at $2 threads.
ideal() {
    awk -F, -v w="$1" -v t="$2" '$1 == w && $4 == t { print $21; exit }' "$3"
}

@test "the three sources of the facts give the same summary" {
    bin/bench-seq --list --format json >"$tmp/list.json"
    bin/bench-summary --meta $F/meta.json $F/results.csv >"$tmp/from-binary.csv"
    bin/bench-summary --meta $F/meta.json --workloads "$tmp/list.json" $F/results.csv >"$tmp/from-list.csv"
    jq --slurpfile w "$tmp/list.json" '. + {workloads: $w[0]}' $F/meta.json >"$tmp/meta.json"
    bin/bench-summary --meta "$tmp/meta.json" $F/results.csv >"$tmp/from-meta.csv"
    cmp "$tmp/from-binary.csv" "$tmp/from-list.csv"
    cmp "$tmp/from-binary.csv" "$tmp/from-meta.csv"
    # sleep waits: 32 tasks on 16 threads ideally run 16 times faster on 2 cores.
    [ "$(ideal sleep 16 "$tmp/from-meta.csv")" = "16.0000" ]
    [ "$(ideal cpu 4 "$tmp/from-meta.csv")" = "2.0000" ]
}

@test "a workload's waits, not its name, decides its ideal speedup" {
    bin/bench-seq --list --format json |
        jq 'map(if .name == "cpu" then .waits = true elif .name == "sleep" then .waits = false else . end)' \
        >"$tmp/list.json"
    bin/bench-summary --meta $F/meta.json --workloads "$tmp/list.json" $F/results.csv >"$tmp/s.csv"
    [ "$(ideal sleep 16 "$tmp/s.csv")" = "2.0000" ]
    [ "$(ideal cpu 4 "$tmp/s.csv")" = "4.0000" ]
}

@test "bad facts: one line naming the source, exit 2, nothing on stdout" {
    printf '[{"name":"sleep"' >"$tmp/broken.json"
    run --separate-stderr bin/bench-summary --cores 2 --workloads "$tmp/broken.json" $F/results.csv
    [ "$status" -eq 2 ] && [ -z "$output" ]
    [[ $stderr == "bench-summary: --workloads $tmp/broken.json: not valid JSON (at byte "* ]]
    printf '[{"name":"sleep","waits":true}]' >"$tmp/short.json"
    run --separate-stderr bin/bench-summary --cores 2 --workloads "$tmp/short.json" $F/results.csv
    [ "$status" -eq 2 ] && [ -z "$output" ]
    [ "$stderr" = "bench-summary: workload 'cpu' is not among the workloads of $tmp/short.json" ]
    run --separate-stderr bin/bench-summary --cores 2 --workloads "$tmp/none.json" $F/results.csv
    [ "$status" -eq 2 ]
    [ "$stderr" = "bench-summary: --workloads: cannot open $tmp/none.json" ]
}
