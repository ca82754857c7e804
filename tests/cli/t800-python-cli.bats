#!/usr/bin/env bats
# bench-python's command line is the C binaries' (their own parser, through the library;
# t010 runs its bad inputs through bench-python too): here the inputs only bench-python
# has, which also exit 2 with one line on stderr naming the flag or parameter, nothing
# on stdout, no file and no process left; --help, --list, --describe; the result
# columns in the C binaries' order.

load helpers

USAGE_BINS=("${PY_BINS[@]}")

@test "unknown -p name (the message lists the Python parameters too)" {
    ARGS=(cpu -p colour=red); expect_usage_error "no parameter 'colour' (it has: work, skew, kernel)"
}
@test "-p with no value" { ARGS=(cpu -p); expect_usage_error "-p/--param needs a value"; }
@test "-p kernel=fortran" { ARGS=(cpu -p kernel=fortran); expect_usage_error "-p kernel: expected python|c"; }
@test "-p mode=atomic: Python has racy, mutex and reduction" {
    ARGS=(contention -p mode=atomic); expect_usage_error "-p mode: expected racy|mutex|reduction"
}
@test "-p construct=region: an executor has tasks, not regions" {
    ARGS=(noop -p construct=region); expect_usage_error "-p construct: expected task|forkjoin"
}
@test "-p window_ms=-1" { ARGS=(contention -p window_ms=-1); expect_usage_error "-p window_ms"; }
@test "--backend foo" { ARGS=(cpu --backend foo); expect_usage_error "--backend: expected python-threads"; }
@test "--backend with no value" { ARGS=(cpu --backend); expect_usage_error "--backend needs a value"; }
@test "-p dir= a missing folder" { ARGS=(disk -p dir=/nonexistent/x); expect_usage_error "-p dir: /nonexistent/x"; }
@test "-p host= a name" { ARGS=(net -p host=localhost); expect_usage_error "-p host: expected a numeric"; }

@test "-p delay_ns other than 0 is refused by a run and by --check alike" {
    ARGS=(noop -p delay_ns=100); expect_usage_error "-p delay_ns: expected 0 only, got '100'"
    run_split "$ROOT/bin/bench-python-threads" --check noop -p delay_ns=100
    [ "$status" -eq 2 ] && [ "$err_lines" -eq 1 ]
    grep -qF -- "-p delay_ns: expected 0 only" "$err"
}

@test "memory kernel=c on processes is refused before any worker starts, and by --check" {
    run_session "$ROOT/bin/bench-python-processes" memory -p kernel=c -p mib=1
    [ "$status" -eq 2 ] && [ "$err_lines" -eq 1 ] && [ "$LEFT_PROCS" -eq 0 ]
    grep -qF -- "-p kernel=c: the C memory workload's arrays live in one process" "$err"
    # --check says so too, so that a suite line asking for it is refused before a run
    run_split "$ROOT/bin/bench-python-processes" --check memory -p kernel=c
    [ "$status" -eq 2 ] && [ "$err_lines" -eq 1 ]
    grep -qF -- "-p kernel=c: the C memory workload's arrays live in one process" "$err"
    run_split "$ROOT/bin/bench-python-threads" --check memory -p kernel=c
    [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ]
}

@test "a value the C parser refuses gets the C binaries' very message" {
    for args in "cpu -t abc" "cpu -s dynamic,0" "sleep -p ms=x" "cpu -b 99999"; do
        # shellcheck disable=SC2086 # the arguments are meant to split
        c=$("$ROOT/bin/bench-seq" $args 2>&1 >/dev/null | sed 's/^bench-seq: //')
        # shellcheck disable=SC2086
        p=$("$ROOT/bin/bench-python" $args 2>&1 >/dev/null | sed 's/^bench-python: //')
        [ "$c" = "$p" ] || { echo "$args: '$c' != '$p'"; return 1; }
    done
}

@test "the option scan knows the C parser's options (which take a value, which do not)" {
    # From the C binaries' --help, which their one table of options generates.
    c=$("$ROOT/bin/bench-seq" --help | sed -n 's/^  \(-[a-z], \|    \)--\([a-z-]*\)\( [A-Z=]*\)\{0,1\} .*/\2\3/p' |
        awk '{ print $1, (NF > 1 ? "value" : "flag") }' | sort)
    py=$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from benchpy import cli
for n in cli._LONG_VALUE: print(n, "value")
for n in cli._LONG_FLAG: print(n, "flag")' "$ROOT/bin/bench-python" | grep -v '^backend ' | sort)
    [ -n "$c" ] && [ "$c" = "$py" ] || { diff <(echo "$c") <(echo "$py"); return 1; }
    short=$("$ROOT/bin/bench-seq" --help | sed -n 's/^  -\([a-z]\), --[a-z-]* [A-Z].*/\1/p' | tr -d '\n')
    [ "$short" = "$(python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); from benchpy import cli; print(cli._SHORT_VALUE)' "$ROOT/bin/bench-python")" ]
}

@test "--list --format json has the C binaries' shape, with the Python parameters" {
    command -v jq >/dev/null || skip "needs jq"
    shape='[.[] | {name, bound, waits, default_tasks, params: [.params[] | {name, type, min, max} | with_entries(select(.value != null))]}]'
    run_split "$ROOT/bin/bench-python" --list --format json
    [ "$status" -eq 0 ]
    # What the C parameters are stays theirs; kernel and window_ms are added, and noop's
    # delay_ns narrows to 0 (its bodies are Python calls), which the last line checks.
    same='.params |= map(if .name == "delay_ns" then del(.max) else . end)'
    diff <("$ROOT/bin/bench-seq" --list --format json | jq -c "$shape | .[] | $same") \
         <(jq -c "$shape | .[] | .params |= map(select(.name != \"kernel\" and .name != \"window_ms\")) | $same" "$out")
    [ "$(jq -c '.[] | select(.name == "noop") | .params[] | select(.name == "delay_ns") | [.min, .max]' "$out")" = "[0,0]" ]
    [ "$(jq -r '.[] | select(.name == "cpu") | .params[-1] | "\(.name) \(.choices | join("|"))"' "$out")" = "kernel python|c" ]
    [ "$(jq -r '.[] | select(.name == "contention") | .params[0] | "\(.default) \(.choices | join("|"))"' "$out")" = "mutex racy|mutex|reduction" ]
}

@test "--check and --check-env: silence and 0, or the line a run would give and 2" {
    run_split "$ROOT/bin/bench-python-processes" --check cpu -p kernel=c -t 3
    [ "$status" -eq 0 ] && [ "$err_lines" -eq 0 ] && [ ! -s "$out" ]
    run_split "$ROOT/bin/bench-python" --check-env
    [ "$status" -eq 0 ] && [ ! -s "$out" ]
    run_split "$ROOT/bin/bench-python" --check contention -p mode=atomic
    [ "$status" -eq 2 ] && grep -qF -- "-p mode: expected racy|mutex|reduction" "$err"
    run_split "$ROOT/bin/bench-python" --list -p ms=1
    [ "$status" -eq 2 ] && grep -qF -- "-p/--param does not go with --list" "$err"
}

@test "--help, --list and --describe succeed" {
    run_split "$ROOT/bin/bench-python" --help
    [ "$status" -eq 0 ]
    grep -q -- "--threads" "$out"
    grep -q -- "--backend" "$out"
    grep -q "kernel=python|c" "$out"
    run_split "$ROOT/bin/bench-python" --list
    [ "$status" -eq 0 ]
    grep -q "^cpu " "$out"
    grep -q -- "-p kernel=python" "$out"
    grep -q -- "-p mode=mutex" "$out"
    grep -q -- "-p window_ms=0" "$out"
    run_split "$ROOT/bin/bench-python" --list --format json
    [ "$status" -eq 0 ]
    python3 -c 'import json, sys; w = json.load(open(sys.argv[1]));
assert [x["name"] for x in w][:2] == ["sleep", "cpu"], w
assert any(p["name"] == "kernel" for p in w[1]["params"])' "$out"
    run_split "$ROOT/bin/bench-python-processes" --describe
    [ "$status" -eq 0 ]
    python3 -c 'import json, sys; d = json.load(open(sys.argv[1]));
assert d["backend"] == "python-processes", d' "$out"
}

@test "the C binaries' columns, in their order; backend, threads and runtime say what ran" {
    header=$("$ROOT/bin/bench-seq" sleep -n 1 -r 1 -w 0 -p ms=0 | head -n 1)
    metric_names=$("$ROOT/bin/bench-seq" cpu -n 8 -r 1 -w 0 -p work=1000 | awk -F, 'NR == 2 { print $15 }' | sed 's/=[^;]*//g')
    for b in "${PY_BINS[@]}"; do
        run_split "$ROOT/bin/bench-$b" cpu -t 2 -n 8 -r 3 -w 2 -p work=1000 -s dynamic,2
        [ "$status" -eq 0 ]
        [ "$(head -n 1 "$out")" = "$header" ]
        [ "$(wc -l <"$out")" -eq 4 ]
        if [ "$b" = python-seq ]; then
            # One thread and the static loop, whatever was asked; said on stderr.
            [ "$(awk -F, 'NR > 1 { print $3, $5 }' "$out" | sort -u)" = "1 static" ]
            grep -q "note: the sequential build runs 1 thread (-t asked for 2)" "$err"
        fi
        awk -F, 'NR > 1 && (NF != 16 || /"/) { exit 1 }' "$out"
        [ "$(awk -F, 'NR > 1 { printf "%s", $8 }' "$out")" = "123" ]
        awk -F, -v b="$b" 'NR > 1 && ($2 != b || $7 != "work=1000;skew=uniform;kernel=python" ||
            $12 != 1 || $13 !~ /^cpython-3\.[0-9]+\.[0-9]+$/ || $16 !~ /^[01-]$/) { exit 1 }' "$out"
        # The metrics the C binaries give (interference, then the counters), by name.
        [ "$(awk -F, 'NR == 2 { print $15 }' "$out" | sed 's/=[^;]*//g')" = "$metric_names" ]
    done
    [ "$(awk -F, 'NR == 2 { print $3, $5 }' "$out")" = "2 dynamic:2" ]
}

@test "OMP_NUM_THREADS and OMP_SCHEDULE are honoured; --backend overrides the name" {
    run_split env OMP_NUM_THREADS=3,2 OMP_SCHEDULE=guided,2 "$ROOT/bin/bench-python" sleep -n 6 -r 1 -p ms=0 --backend python-processes
    [ "$status" -eq 0 ]
    [ "$(awk -F, 'NR == 2 { print $2, $3, $5 }' "$out")" = "python-processes 3 guided:2" ]
}

@test "JSON and human formats" {
    run_split "$ROOT/bin/bench-python" sleep -n 2 -r 2 -p ms=0 --format json
    [ "$status" -eq 0 ]
    python3 -c 'import json, sys; rows = json.load(open(sys.argv[1]));
assert len(rows) == 2 and rows[0]["backend"] == "python-threads" and rows[1]["verified"] is True' "$out"
    run_split "$ROOT/bin/bench-python" sleep -n 2 -r 2 -p ms=0 --format human
    [ "$status" -eq 0 ]
    grep -q "^sleep .* yes" "$out"
    grep -q "^sleep on python-threads (cpython-[0-9.]*), .*: median .* over 2 repetitions; verified$" "$err"
}

@test "-b pins every worker where the plan says, and the placement column shows it" {
    [ "$(nproc)" -ge 2 ] || skip "needs 2 PUs"
    for b in python-threads python-processes; do
        run_split taskset -c 0,1 "$ROOT/bin/bench-$b" sleep -t 2 -n 8 -r 2 -p ms=1 -b pu
        [ "$status" -eq 0 ]
        [ "$(awk -F, 'NR > 1 { print $6, $14 }' "$out" | sort -u)" = "pu 0:0;1:1" ]
        ! grep -q 'misplaced=[1-9]' "$out"
    done
}
