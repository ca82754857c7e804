#!/usr/bin/env bats
# The cost workloads (noop, contention, memory) on the command line: they run and verify
# under every build, give the same checksums in every build, refuse bad input with exit
# 2 and one line, and report racy losses as expected rather than as failures.

bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    builds="bin/bench-seq bin/bench-pthread bin/bench-omp"
    if [ -x bin/bench-omp-libomp ]; then
        builds="$builds bin/bench-omp-libomp"
    fi
}

# Prints field $2 (1-based) of the CSV rows (header skipped) of the output in $1.
field() {
    printf '%s\n' "$1" | awk -F, -v f="$2" 'NR > 1 { print $f }'
}

# Prints metric $2 of the CSV rows of the output in $1.
metric() {
    printf '%s\n' "$1" | awk -F, -v m="$2" 'NR > 1 {
        n = split($15, kv, ";"); for (k = 1; k <= n; k++) { split(kv[k], p, "="); if (p[1] == m) print p[2] } }'
}

@test "noop: every construct runs and verifies under every build, and names its unit" {
    for b in $builds; do
        for c in region parfor parfor-runtime barrier for task forkjoin; do
            run --separate-stderr "$b" noop -t 2 -r 2 -w 1 -p construct=$c -p rounds=200 -p samples=4
            [ "$status" -eq 0 ] || { echo "$b $c: $output"; false; }
            [ "$(field "$output" 12 | sort -u)" = 1 ]
            [ -n "$(metric "$output" overhead_us)" ]
            [ -n "$(metric "$output" ci_hi_us)" ]
            case $c in
            region) unit=region ;; barrier) unit=barrier ;; task) unit=task ;;
            forkjoin) unit=round ;; *) unit=loop ;;
            esac
            [ "$(metric "$output" unit | sort -u)" = "$unit" ]
            if [ "$c" = for ]; then
                [ -n "$(metric "$output" iter_overhead_us)" ]
            fi
        done
    done
}

# The test part does on every thread what the reference does on one, plus the construct
# (EPCC's method), so a negative overhead means the method is broken, not the machine
# noisy. Each figure is a median test time minus a median reference time. The threads are
# pinned, so that the reference and the test's thread 0 run on the same CPU: on this VM
# one vCPU can run the same code 40% slower than the other for a while. The for loop
# takes short samples (10 loops of 1024 bodies of 0.1 us, about 1 ms), many of them, so
# that other processes on this shared machine spoil a minority of each side's samples. A
# repetition the harness marks as disturbed by other processes (a disturbed column, where
# there is one) says nothing.
# Negative beyond what timing can explain, not merely below zero: a difference of two
# medians of a 100 us loop can land its whole interval a microsecond under zero, on a
# busy machine and on a quiet one alike (2 threads' static loop costs next to nothing,
# and the test's bodies ran up to 1% faster than the reference's in some VM placements:
# test 115.2 against reference 116.3 us), but a reference that counts the wrong bodies
# (the bug this guards: one thread's share against all threads' bodies) puts it at about
# minus half the reference, every run. So the upper bound may not fall below -5% of the
# reference part (ref_us), which no measurement here reached and the bug always passes.
@test "noop: for and task overheads are never negative beyond timing noise (5% of the reference) at 2 threads, over a few runs" {
    for b in $builds; do
        [ "$b" = bin/bench-seq ] && continue
        for args in "-p construct=for -p rounds=10 -p samples=100" "-p construct=task"; do
            for run in 1 2 3; do
                # shellcheck disable=SC2086 # the arguments are meant to split
                run --separate-stderr env -u OMP_PROC_BIND -u OMP_PLACES "$b" noop -t 2 -b core -r 2 -w 1 $args
                [ "$status" -eq 0 ]
                printf '%s\n' "$output" | awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "disturbed") d = k }
                    NR > 1 && !(d && $d == 1) { n = split($15, kv, ";")
                        hi = ""; ref = ""
                        for (k = 1; k <= n; k++) { split(kv[k], p, "="); if (p[1] == "ci_hi_us") hi = p[2]; if (p[1] == "ref_us") ref = p[2] }
                        if (hi == "" || ref == "" || hi + 0 < -0.05 * ref) bad = bad " " hi " (ref_us " ref ")" }
                    END { if (bad != "") { print "interval below -5% of the reference, upper bound:" bad; exit 1 } }' ||
                    { echo "$b $args, run $run"; false; }
            done
        done
    done
}

@test "noop: the checksum of a construct is the same in every build and thread count" {
    for c in region parfor task forkjoin; do
        sums=()
        for b in $builds; do
            for t in 1 3; do
                run --separate-stderr "$b" noop -t $t -r 1 -w 0 -p construct=$c -p rounds=50 -p samples=2
                [ "$status" -eq 0 ]
                sums+=("$(field "$output" 11)")
            done
        done
        [ "$(printf '%s\n' "${sums[@]}" | sort -u | wc -l)" -eq 1 ]
    done
}

@test "noop: create runs in bench-pthread, and is refused elsewhere with exit 2" {
    run --separate-stderr bin/bench-pthread noop -t 2 -r 1 -p construct=create -p rounds=20 -p samples=2
    [ "$status" -eq 0 ]
    [ "$(field "$output" 12)" = 1 ]
    for b in bin/bench-seq bin/bench-omp; do
        run "$b" noop -p construct=create
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == *"construct=create"* ]]
    done
}

@test "noop: the sequential build's overhead is about nothing" {
    run --separate-stderr bin/bench-seq noop -r 1 -p rounds=1000 -p samples=5
    [ "$status" -eq 0 ]
    awk -v v="$(metric "$output" overhead_us)" 'BEGIN { exit !(v < 0.05 && v > -0.05) }'
}

@test "contention: mutex, atomic and reduction lose nothing at 1, 2, 8 and 64 threads" {
    for b in $builds; do
        for m in mutex atomic reduction; do
            for t in 1 2 8 64; do
                run --separate-stderr "$b" contention -t $t -n 64 -r 1 -w 0 -p mode=$m -p incs=500
                [ "$status" -eq 0 ] || { echo "$b $m $t: $output"; false; }
                [ "$(metric "$output" lost)" = 0 ]
                [ "$(metric "$output" expected)" = 32000 ]
                [ "$(field "$output" 12)" = 1 ]
            done
        done
    done
}

@test "contention: the same checksum in every build" {
    sums=()
    for b in $builds; do
        run --separate-stderr "$b" contention -t 2 -r 1 -w 0 -p mode=atomic -p incs=100
        sums+=("$(field "$output" 11)")
    done
    [ "$(printf '%s\n' "${sums[@]}" | sort -u | wc -l)" -eq 1 ]
}

@test "contention: omplock runs in the OpenMP builds and is refused elsewhere" {
    run --separate-stderr bin/bench-omp contention -t 2 -r 1 -p mode=omplock -p incs=200
    [ "$status" -eq 0 ]
    [ "$(metric "$output" lost)" = 0 ]
    if [ -x bin/bench-omp-libomp ]; then
        run --separate-stderr bin/bench-omp-libomp contention -t 2 -r 1 -p mode=omplock -p incs=200
        [ "$status" -eq 0 ]
    fi
    for b in bin/bench-seq bin/bench-pthread; do
        run "$b" contention -p mode=omplock
        [ "$status" -eq 2 ]
        [ "${#lines[@]}" -eq 1 ]
        [[ "$output" == *omplock* ]]
    done
}

@test "contention: racy loses nothing on one thread" {
    run --separate-stderr bin/bench-pthread contention -t 1 -r 2 -p mode=racy -p incs=100000
    [ "$status" -eq 0 ]
    [ "$(metric "$output" lost | sort -u)" = 0 ]
    [ "$(field "$output" 12 | sort -u)" = 1 ]
}

@test "contention: racy on several threads exits 0 and says what it lost" {
    for b in bin/bench-pthread bin/bench-omp; do
        run --separate-stderr "$b" contention -t 2 -n 8 -r 3 -p mode=racy -p incs=1000000
        [ "$status" -eq 0 ]
        # expected = observed + lost on every row, and a row that lost is not verified
        printf '%s\n' "$output" | awk -F, 'NR > 1 {
            split($15, kv, ";"); for (k in kv) { split(kv[k], p, "="); v[p[1]] = p[2] }
            if (v["expected"] != v["observed"] + v["lost"]) exit 1
            if ((v["lost"] > 0) == ($12 == 1)) exit 1 }'
    done
}

@test "memory: runs and validates under every build" {
    for b in $builds; do
        run --separate-stderr "$b" memory -t 2 -r 2 -p mib=16
        [ "$status" -eq 0 ] || { echo "$b: $output"; false; }
        [ "$(field "$output" 12 | sort -u)" = 1 ]
        [ -n "$(metric "$output" gb_s)" ]
        [ "$(metric "$output" bytes | sort -u)" = 16777200 ]
    done
}

@test "memory: by default each of the three arrays is four times the last-level cache" {
    llc=$(lstopo-no-graphics -v --only L3Cache 2>/dev/null |
          sed -n 's/.* size=\([0-9]*\)KB.*/\1/p' | awk '{ s += $1 } END { print s * 1024 }')
    [ "$llc" -gt 0 ] || skip "lstopo reports no L3 cache here"
    run --separate-stderr bin/bench-seq memory -r 1 -w 0
    [ "$status" -eq 0 ]
    [ "$(metric "$output" bytes)" -eq $((3 * 4 * llc / 24 * 24)) ]
    [ "$(field "$output" 7)" = "mib=auto;passes=1" ]
    run bin/bench-seq --list
    [[ "$output" == *"-p mib=auto "* ]]
}

@test "memory: passes repeat the triad within a repetition; best_gb_s is the fastest pass's" {
    for b in $builds; do
        run --separate-stderr "$b" memory -t 2 -r 2 -p mib=8 -p passes=4
        [ "$status" -eq 0 ] || { echo "$b: $output"; false; }
        [ "$(field "$output" 12 | sort -u)" = 1 ]
        [ "$(field "$output" 7 | sort -u)" = "mib=8;passes=4" ]
        # The mean rate over the passes cannot beat the fastest pass's.
        paste <(metric "$output" gb_s) <(metric "$output" best_gb_s) |
            awk '{ print } $1 > $2 + 0.001 || $2 <= 0 { bad = 1 } END { exit bad }'
    done
    # One pass: both rates are that pass's.
    run --separate-stderr bin/bench-seq memory -r 1 -p mib=8
    [ "$(metric "$output" gb_s)" = "$(metric "$output" best_gb_s)" ]
}

@test "memory: the same checksum in every build" {
    sums=()
    for b in $builds; do
        run --separate-stderr "$b" memory -t 2 -r 1 -p mib=8
        sums+=("$(field "$output" 11)")
    done
    [ "$(printf '%s\n' "${sums[@]}" | sort -u | wc -l)" -eq 1 ]
}

@test "cost workloads: bad parameters exit 2 with one line naming them" {
    for args in "noop -p construct=fork" "noop -p rounds=0" "noop -p samples=x" \
                "contention -p mode=lock" "contention -p incs=0" "memory -p mib=-1" \
                "memory -p mib=0" "memory -p mib=autox" "memory -n 0 -p mib=1" \
                "memory -p passes=0" "memory -p passes=1001" "memory -p passes=auto"; do
        # shellcheck disable=SC2086 # the arguments are meant to split
        run bin/bench-pthread $args
        [ "$status" -eq 2 ] || { echo "$args: $status $output"; false; }
        [ "${#lines[@]}" -eq 1 ]
    done
}

@test "wait policy: bad OMP_WAIT_POLICY or BENCH_SPINCOUNT exit 2 in every build" {
    for b in $builds; do
        OMP_WAIT_POLICY=sometimes run "$b" noop -r 1
        [ "$status" -eq 2 ]
        [[ "$output" == *OMP_WAIT_POLICY* ]]
        [ "${#lines[@]}" -eq 1 ]
        BENCH_SPINCOUNT=-5 run "$b" noop -r 1
        [ "$status" -eq 2 ]
        [[ "$output" == *BENCH_SPINCOUNT* ]]
    done
}

@test "wait policy: passive, active and a spin count all give verified runs" {
    for env in OMP_WAIT_POLICY=passive OMP_WAIT_POLICY=active BENCH_SPINCOUNT=0 \
               BENCH_SPINCOUNT=infinity BENCH_SPINCOUNT=50; do
        run --separate-stderr env "$env" bin/bench-pthread noop -t 3 -r 1 -p construct=barrier -p rounds=100 -p samples=2
        [ "$status" -eq 0 ] || { echo "$env: $output"; false; }
        [ "$(field "$output" 12)" = 1 ]
    done
}

@test "runtime column names the OpenMP runtime of each build" {
    run --separate-stderr bin/bench-omp noop -r 1 -p rounds=10 -p samples=1
    [[ "$(field "$output" 13)" == libgomp-* ]]
    run --separate-stderr bin/bench-pthread noop -r 1 -p rounds=10 -p samples=1
    [ "$(field "$output" 13)" = pool ]
    [ -x bin/bench-omp-libomp ] || skip "clang and libomp are not installed"
    run --separate-stderr bin/bench-omp-libomp noop -r 1 -p rounds=10 -p samples=1
    [[ "$(field "$output" 13)" == libomp-* ]]
}

@test "cost-table: a bad ROUNDS or an extra argument: exit 2 with one line" {
    run scripts/cost-table 0
    [ "$status" -eq 2 ]
    [ "$output" = "cost-table: ROUNDS must be a positive integer, got '0'" ]
    run scripts/cost-table 1 2
    [ "$status" -eq 2 ]
    [ "$output" = "usage: scripts/cost-table [ROUNDS]" ]
}

@test "--check refuses what only another build runs, in the run's words" {
    run --separate-stderr bin/bench-seq --check contention -p mode=omplock
    [ "$status" -eq 2 ]
    [[ $stderr == "bench-seq: -p mode=omplock: omp_lock_t exists in bench-omp only"* ]]
    run --separate-stderr bin/bench-omp --check noop -p construct=create
    [ "$status" -eq 2 ]
    [[ $stderr == *"construct=create"*"bench-pthread only"* ]]
    run --separate-stderr bin/bench-omp --check contention -p mode=omplock
    [ "$status" -eq 0 ]
    run --separate-stderr bin/bench-pthread --check noop -p construct=create
    [ "$status" -eq 0 ]
}
