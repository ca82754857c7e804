#!/usr/bin/env bats
# A configuration whose binary fails (a folder that is not there, which --check cannot
# know; a time limit) is recorded with its error, the sweep goes on, summary.csv marks it
# failed, and the run exits 1 listing it.

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    res="$BATS_TEST_TMPDIR/results"
    export BENCH_FOREIGN_LIMIT=10 # a busy machine gives up no configuration as disturbed
    printf '%s\n' \
        'sleep ms=1 tasks=2 threads=2 backends=seq,pthread reps=2 warmup=0' \
        'disk kib=1 dir=/nonexistent tasks=2 threads=2 backends=pthread reps=2 warmup=0' \
        'sleep ms=3000 tasks=1 threads=1 backends=omp reps=1 warmup=0 timeout=0.3' \
        'cpu work=1000 tasks=2 threads=2 backends=omp reps=2 warmup=0' >"$BATS_TEST_TMPDIR/f.suite"
}

@test "failures are recorded, the sweep goes on, the run exits 1 and lists them" {
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/f.suite"
    [ "$status" -eq 1 ]
    d=$(readlink -f "$res/latest")
    [[ $output == *"2 configurations failed"* ]]
    [[ $output == *"f.suite:2): bench-pthread: -p dir: /nonexistent: "* ]]
    [[ $output == *"f.suite:3): timed out after 0.3 s"* ]]
    # the configuration after the failures ran
    grep -q '^cpu,omp,2,2,' "$d/results.csv"
    [ "$(sed -n 2p "$d/failed.csv")" = "disk,pthread,pool,2,2,static,none,kib=1;dir=/nonexistent;fsync=1,2,bench-pthread: -p dir: /nonexistent: No such file or directory (expected an existing writable folder)" ]
    sed -n 3p "$d/failed.csv" | grep -q '^sleep,omp,libgomp[^,]*,1,1,static,none,ms=3000,124,timed out after 0.3 s$'
    grep -q '^disk,pthread,pool,2,2,static,none,kib=1;dir=/nonexistent;fsync=1,-,-,.*,0,failed,-$' "$d/summary.csv"
    grep -q '^sleep,omp,libgomp[^,]*,1,1,static,none,ms=3000,-,.*,failed,-$' "$d/summary.csv"
    [ "$(grep -c ',ok,' "$d/summary.csv")" -eq 3 ]
    [ "$(cat "$d/state")" = failed ]
    [ -z "$(pgrep -s 0 -f 'bench-omp sleep -t 1 -n 1 -r 1 -w 0 -s static -b none -p ms=3000')" ]
    # failures are tried again by the same command, and recorded again
    run scripts/bench --no-build --results "$res" "$BATS_TEST_TMPDIR/f.suite"
    [ "$status" -eq 1 ]
    [[ $output == *"3 of 5 configurations already complete"* ]]
    [ "$(wc -l <"$d/failed.csv")" -eq 3 ]
}

@test "a backend whose binary does not exist is skipped with a note" {
    # A copy of the project whose bin/ lacks bench-omp-libomp, whatever this machine has.
    proj="$BATS_TEST_TMPDIR/proj"
    mkdir -p "$proj/bin"
    ln -s "$PWD/scripts" "$proj/scripts"
    for f in bin/*; do
        [ "$f" = bin/bench-omp-libomp ] || ln -s "$PWD/$f" "$proj/$f"
    done
    printf 'cpu work=1000 tasks=2 threads=1 backends=omp,omp-libomp reps=1 warmup=0\n' >"$BATS_TEST_TMPDIR/l.suite"
    run "$proj/scripts/bench" --no-build --results "$res" "$BATS_TEST_TMPDIR/l.suite"
    [ "$status" -eq 0 ]
    [[ $output == *"note: bin/bench-omp-libomp does not exist; skipping its configurations"* ]]
    [ "$(tail -n +2 "$res/latest/summary.csv" | wc -l)" -eq 1 ]
}

@test "bench-summary names the file and line of a row it cannot read" {
    d="$BATS_TEST_TMPDIR"
    bin/bench-seq sleep -n 2 -r 2 -w 0 -p ms=0 >"$d/r.csv"
    echo 'sleep,seq,1,2,static,none,ms=0,3,soon,0,00,1,none,-,-,0' >>"$d/r.csv"
    run bin/bench-summary --cores 2 "$d/r.csv"
    [ "$status" -eq 1 ]
    [ "$output" = "bench-summary: $d/r.csv:4: wall_s is not valid: 'soon'" ]
    run bin/bench-summary "$d/r.csv"
    [ "$status" -eq 2 ]
    [ "$output" = "bench-summary: give --cores N or --meta META.json" ]
}
