#!/usr/bin/env bats
# Kernel counters per repetition: every row has every counter field; oversubscription
# shows as context switches; --counters none and BENCH_COUNTERS=none leave them '-'; a
# process the kernel lets count only user space degrades to '-' with one note, exit 0;
# scripts/counter-cost, which measures what counting costs, refuses bad input and prints
# its table.

bats_require_minimum_version 1.5.0

load helpers

# The median of counter $2 over the rows of CSV file $1.
counter_median() {
    awk -F, -v name="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "metrics") m = i; next }
        { n = split($m, kv, ";"); for (j = 1; j <= n; j++) if (kv[j] ~ "^" name "=") print substr(kv[j], length(name) + 2) }' "$1" |
        "$ROOT/bin/bench-summary" --stats | awk -F, 'NR == 2 { print $2 }'
}

@test "every row has every counter field, in every binary" {
    for b in "${BINS[@]}"; do
        run_split "$ROOT/bin/bench-$b" cpu -t 2 -n 4 -r 2 -p work=1000
        [ "$status" -eq 0 ]
        for f in task_clock_s ctx_switches migrations page_faults cycles instructions llc_misses ipc; do
            [ "$(grep -c "[,;]$f=[^;,]*[;,]" "$out")" -eq 2 ]
        done
    done
}

@test "sleep on 64 threads on this machine switches more than on 2" {
    bench pthread sleep -t 64 -n 64 -r 3 -p ms=2 >"$BATS_TEST_TMPDIR/64.csv"
    bench pthread sleep -t 2 -n 64 -r 3 -p ms=2 >"$BATS_TEST_TMPDIR/2.csv"
    many=$(counter_median "$BATS_TEST_TMPDIR/64.csv" ctx_switches)
    few=$(counter_median "$BATS_TEST_TMPDIR/2.csv" ctx_switches)
    echo "# ctx_switches per repetition: 64 threads $many, 2 threads $few" >&3
    # 64 sleeps cost 64 switches on any thread count; waking 63 workers adds more.
    awk -v a="$many" -v b="$few" 'BEGIN { exit !(a > b && b >= 64) }'
}

@test "--counters none and BENCH_COUNTERS=none leave every counter '-'" {
    run_split bench seq sleep -n 2 -r 1 -p ms=1 --counters none
    [ "$status" -eq 0 ]
    grep -q 'task_clock_s=-;ctx_switches=-;migrations=-;page_faults=-;cycles=-;instructions=-;llc_misses=-;ipc=-,' "$out"
    BENCH_COUNTERS=none run_split bench pthread sleep -t 2 -n 2 -r 1 -p ms=1
    [ "$status" -eq 0 ]
    grep -q 'task_clock_s=-;ctx_switches=-' "$out"
    BENCH_COUNTERS=some run_split bench omp sleep -n 2 -r 1
    [ "$status" -eq 2 ]
    [ "$(cat "$err")" = "bench-omp: BENCH_COUNTERS: expected none, software or all, got 'some'" ]
}

@test "counting only user space (perf_event_paranoid >= 2, unprivileged): '-' and one note" {
    [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null || skip "needs root and setpriv to run unprivileged"
    was=$(cat /proc/sys/kernel/perf_event_paranoid)
    if [ "$was" -lt 2 ]; then
        echo 2 >/proc/sys/kernel/perf_event_paranoid || skip "cannot raise kernel.perf_event_paranoid"
    fi
    status=0
    setpriv --reuid=65534 --regid=65534 --clear-groups "$ROOT/bin/bench-pthread" sleep -t 4 -n 8 -r 2 -p ms=1 \
        >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" || status=$?
    [ "$was" -ge 2 ] || echo "$was" >/proc/sys/kernel/perf_event_paranoid
    [ "$status" -eq 0 ]
    # The kernel-side events would read a wrong 0 when counting user space: '-' instead.
    [ "$(grep -c 'ctx_switches=-;migrations=-;' "$BATS_TEST_TMPDIR/out")" -eq 2 ]
    grep -q 'task_clock_s=[0-9]' "$BATS_TEST_TMPDIR/out"
    [ "$(grep -c 'note: counters' "$BATS_TEST_TMPDIR/err")" -eq 1 ]
    grep -q 'ctx_switches: not permitted (kernel.perf_event_paranoid)' "$BATS_TEST_TMPDIR/err"
}

@test "noop, whose figure is the thread machinery's own cost, is counted only when asked" {
    run_split bench pthread noop -t 2 -r 1 -p construct=create -p rounds=20 -p samples=2
    [ "$status" -eq 0 ] && [ ! -s "$err" ]
    grep -q 'task_clock_s=-;ctx_switches=-;migrations=-;page_faults=-;' "$out"
    run_split "$ROOT/bin/bench-python-threads" noop -t 2 -r 1
    [ "$status" -eq 0 ] && [ ! -s "$err" ]
    grep -q 'task_clock_s=-;ctx_switches=-;' "$out"
    run_split bench pthread noop -t 2 -r 1 -p construct=create -p rounds=20 -p samples=2 --counters software
    [ "$status" -eq 0 ]
    grep -q 'task_clock_s=[0-9.]*;ctx_switches=[0-9]*;migrations=[0-9]*;' "$out"
    BENCH_COUNTERS=software run_split bench omp noop -t 2 -r 1 -p rounds=20 -p samples=2
    [ "$status" -eq 0 ]
    grep -q 'task_clock_s=[0-9.]*;ctx_switches=[0-9]*;' "$out"
    # every other workload is counted by default
    run_split bench pthread contention -t 2 -n 4 -r 1 -p incs=100
    grep -q 'task_clock_s=[0-9.]*;ctx_switches=[0-9]*;' "$out"
}

@test "--describe says which counters this machine has and why not the others" {
    bench seq --describe | jq -e '.counters.available | index("task_clock_s") != null'
    bench seq --describe | jq -e '.counters | has("unavailable")'
}

@test "counter-cost: bad ROUNDS, PATTERN or WAIT_QUIET: exit 2 with one line; shellcheck passes" {
    cd "$ROOT"
    shellcheck -x scripts/counter-cost
    run scripts/counter-cost 0
    [ "$status" -eq 2 ]
    [ "$output" = "counter-cost: ROUNDS must be a positive integer, got '0'" ]
    run scripts/counter-cost 1 atomic extra
    [ "$status" -eq 2 ]
    [ "$output" = "usage: scripts/counter-cost [ROUNDS [PATTERN]]" ]
    run scripts/counter-cost 1 nosuchworkload
    [ "$status" -eq 2 ]
    [ "$output" = "counter-cost: PATTERN 'nosuchworkload' matches no configuration" ]
    WAIT_QUIET=soon run scripts/counter-cost 1 atomic
    [ "$status" -eq 2 ]
    [ "$output" = "counter-cost: WAIT_QUIET: expected whole seconds, got 'soon'" ]
}

@test "counter-cost: one round of one configuration gives its medians, ratios and the load" {
    # (every configuration, selected or not, is checked against its build first)
    cd "$ROOT"
    run --separate-stderr scripts/counter-cost 1 "contention atomic"
    [ "$status" -eq 0 ]
    [ -z "$stderr" ]
    [[ ${lines[1]} == "| configuration | build | reps | ctx switches per rep | wall_s none | wall_s software |"* ]]
    # one row: the medians are numbers, the ratios rest on the one round
    row=$(grep '^| contention atomic t=2 | omp | 30 | ' <<<"$output")
    [ "$(awk -F' [|] ' '{ print NF }' <<<"$row")" -eq "$(awk -F' [|] ' '{ print NF }' <<<"${lines[1]}")" ]
    [[ $row =~ \|\ [0-9]+\.[0-9]{6}\ \|\ [0-9]+\.[0-9]{6}\ \|\ [0-9]+\.[0-9]{4}\ \(n\ 1\)\ \| ]]
    [[ ${lines[-1]} =~ ^#\ machine:\ [0-9]+\ CPUs\;\ load\ average\ .*%\ idle.*\ of\ (60|90)\ measured\ repetitions\ disturbed ]]
}
