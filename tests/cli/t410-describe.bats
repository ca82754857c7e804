#!/usr/bin/env bats
# --describe: one JSON object describing the machine (hwloc, uname) and the build, with
# the keys the suite runner saves as meta.json.

bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || exit 1
}

# The value of a top-level key of $output (numbers bare, strings without quotes).
value() {
    printf '%s\n' "$output" | grep -oE "\"$1\":(\"[^\"]*\"|[0-9]+|null)" | head -n 1 \
        | cut -d: -f2- | tr -d '"'
}

@test "--describe prints every key, for every binary, and exits 0" {
    for bin in bench-seq bench-pthread bench-omp; do
        run --separate-stderr "bin/$bin" --describe
        [ "$status" -eq 0 ]
        [ -z "$stderr" ]
        [ "$(printf '%s\n' "$output" | wc -l)" -eq 1 ]
        [[ $output == "{"*"}" ]]
        for key in host cpu_model packages cores pus allowed_pus caches openmp backend \
                   compiler cflags kernel; do
            [[ $output == *"\"$key\":"* ]] || { echo "$bin: no $key in $output"; false; }
        done
        cache='\{"level":[0-9]+,"type":"(data|unified|instruction)",'
        cache+='"size_kib":[0-9]+,"count":[0-9]+\}'
        [[ $output =~ \"caches\":\[$cache(,$cache)*\] ]]
    done
}

@test "--describe counts what hwloc counts" {
    run --separate-stderr bin/bench-pthread --describe
    [ "$status" -eq 0 ]
    [ "$(value pus)" -eq "$(hwloc-calc --number-of pu machine:0)" ]
    [ "$(value cores)" -eq "$(hwloc-calc --number-of core machine:0)" ]
    [ "$(value packages)" -eq "$(hwloc-calc --number-of package machine:0)" ]
    [ "$(value pus)" -eq "$(nproc)" ]
    [ "$(value backend)" = pthread ]
    [ "$(value kernel)" = "$(uname -s) $(uname -r)" ]
    [ "$(value host)" = "$(hostname)" ]
}

@test "--describe names the OpenMP version and runtime only for bench-omp" {
    run --separate-stderr bin/bench-omp --describe
    [[ $output =~ \"openmp\":\{\"version\":20[0-9]{4},\"runtime\":\"(libgomp|libomp)-[0-9.]+\"\} ]]
    [[ $output == *'"cflags":"'*"-fopenmp"* ]]
    run --separate-stderr bin/bench-seq --describe
    [[ $output == *'"openmp":{"version":null,"runtime":"none"}'* ]]
    [[ $output != *"-fopenmp"* ]]
}

@test "--describe gives the flags the binaries were built with" {
    run --separate-stderr bin/bench-seq --describe
    flags=$(value cflags)
    [[ $flags == *"-std=c11"* ]]
    [[ $flags == *"-Wall"* ]]
    [ "$(value compiler)" != unknown ]
}

@test "--describe under taskset -c 1 describes one PU" {
    [ "$(nproc --all)" -ge 2 ] || skip "needs 2 PUs"
    taskset -c 1 true 2>/dev/null || skip "PU 1 is not allowed"
    run --separate-stderr taskset -c 1 bin/bench-omp --describe
    [ "$status" -eq 0 ]
    [ "$(value pus)" -eq 1 ]
    [ "$(value allowed_pus)" = 1 ]
}

@test "--describe is valid JSON with numeric counts and a list of caches" {
    for bin in bench-seq bench-pthread bench-omp; do
        "bin/$bin" --describe | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert isinstance(d["cores"], int) and isinstance(d["pus"], int), d
assert isinstance(d["caches"], list) and "version" in d["openmp"], d
'
    done
}
