# Shared set-up for the command-line tests: the binaries, a scratch folder that must stay
# empty, and a way to run a command with stdout and stderr kept apart.
# shellcheck shell=bash

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BINS=(seq pthread omp)

bench() { "$ROOT/bin/bench-$1" "${@:2}"; }

# Runs the command in an empty folder with an empty TMPDIR, so that any file it leaves
# behind is seen. Sets $status, $out, $err (files), $err_lines.
run_split() {
    local scratch
    scratch=$(mktemp -d)
    mkdir "$scratch/tmp" "$scratch/cwd"
    out="$scratch/stdout" err="$scratch/stderr"
    status=0
    (cd "$scratch/cwd" && TMPDIR="$scratch/tmp" "$@" >"$out" 2>"$err") || status=$?
    err_lines=$(wc -l <"$err")
    left_behind=$(find "$scratch/tmp" "$scratch/cwd" -mindepth 1 | wc -l)
}
