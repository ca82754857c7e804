# Shared set-up for the bench-python tests (t8xx-python*.bats): its three names, and a
# way to run a command in a session of its own and count the processes it leaves there.
# shellcheck shell=bash
# shellcheck disable=SC2034 # PY_BINS and LEFT_PROCS are read by the tests

load helpers

PY_BINS=(python-seq python-threads python-processes)

# Runs the command as run_split does, in a session of its own; sets LEFT_PROCS to the
# processes of that session still alive once the command has returned.
run_session() {
    local sidfile="$BATS_TEST_TMPDIR/sid"
    run_split setsid bash -c 'echo $$ >"$0"; exec "$@"' "$sidfile" "$@"
    LEFT_PROCS=$(pgrep -s "$(cat "$sidfile")" | wc -l)
}
