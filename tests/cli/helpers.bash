# Shared set-up for the command-line tests: the binaries, a scratch folder that must stay
# empty, and a way to run a command with stdout and stderr kept apart.
# shellcheck shell=bash

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
BINS=(seq pthread omp)
# shellcheck disable=SC2034 # read by the tests
PY_BINS=(python-seq python-threads python-processes)

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

# Runs the command as run_split does, in a session of its own; sets SESSION to its id
# and LEFT_PROCS to the processes of that session still alive once the command has
# returned.
run_session() {
    local sidfile
    sidfile=$(mktemp)
    run_split setsid bash -c 'echo $$ >"$0"; exec "$@"' "$sidfile" "$@"
    SESSION=$(cat "$sidfile")
    LEFT_PROCS=$(pgrep -s "$SESSION" | wc -l)
    rm -f "$sidfile"
}

# Bad input for every binary of USAGE_BINS (default: BINS) with the arguments of ARGS
# (extra arguments go before the binary, such as env VAR=value): exit status 2, one line
# on stderr holding $1, nothing on stdout, no file and no process left behind.
expect_usage_error() {
    local name=$1 b
    shift
    for b in "${USAGE_BINS[@]:-${BINS[@]}}"; do
        run_session "$@" "$ROOT/bin/bench-$b" "${ARGS[@]}"
        if [ "$status" -ne 2 ] || [ "$err_lines" -ne 1 ] || [ -s "$out" ] ||
           [ "$left_behind" -ne 0 ] || [ "$LEFT_PROCS" -ne 0 ] || ! grep -qF -- "$name" "$err"; then
            echo "bench-$b ${ARGS[*]}: status $status, $err_lines stderr lines, stdout $(wc -c <"$out") bytes, $left_behind files and $LEFT_PROCS processes left"
            cat "$err"
            return 1
        fi
    done
}

# Starts scripts/bench --no-build with the other arguments in a session of its own (SIGINT
# at its default: a background job inherits it ignored), its output in
# $BATS_TEST_TMPDIR/out; once the shell condition $2 holds (checked for up to 20 s),
# sends it signal $1 and waits. Sets pid, sid (the session, whose processes are the
# runner's and no one else's: teardown may kill what a failed test left) and status.
interrupt_runner() {
    local sig=$1 cond=$2
    shift 2
    setsid env --default-signal=INT "$ROOT/scripts/bench" --no-build "$@" >"$BATS_TEST_TMPDIR/out" 2>&1 &
    # shellcheck disable=SC2034 # for the caller
    pid=$! sid=$!
    for _ in $(seq 400); do
        if eval "$cond"; then break; fi
        sleep 0.05
    done
    kill "-$sig" "$pid"
    status=0
    wait "$pid" || status=$?
}
