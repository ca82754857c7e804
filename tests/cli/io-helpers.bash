# Helpers shared by the I/O workload tests (t300-*.bats): running a benchmark in the
# background with the default handling of SIGINT, and waiting for processes to go.

BIN="$BATS_TEST_DIRNAME/../../bin"

# Starts a command in the background with SIGINT and SIGTERM at their defaults: a shell
# without job control starts background commands with SIGINT ignored, which the
# benchmark (rightly) keeps ignoring. Sets BG_PID.
start_bg() {
    local out=$1
    shift
    perl -e '$SIG{INT} = "DEFAULT"; $SIG{TERM} = "DEFAULT"; exec @ARGV or die "exec: $!"' \
        "$@" >"$out" 2>&1 &
    BG_PID=$!
}

# Waits up to $2 seconds (default 10) for the command in $1 to succeed.
wait_until() {
    local cond=$1 limit=${2:-10} k
    for ((k = 0; k < limit * 20; k++)); do
        if eval "$cond"; then
            return 0
        fi
        sleep 0.05
    done
    return 1
}

# True when no process has pid $1 any more (a zombie still counts as there).
gone() {
    [ ! -e "/proc/$1" ]
}

# Waits for the background command and sets BG_STATUS to its exit status (not in a
# subshell: only the shell that started it can wait for it).
wait_bg() {
    BG_STATUS=0
    wait "$BG_PID" || BG_STATUS=$?
    BG_PID=
}
