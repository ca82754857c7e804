#!/usr/bin/env bats
# What the compiler made of the measured kernels, read from the binaries (no timing):
# contention's reduction keeps a loop over its increments instead of folding it into one
# addition, and memory's triad is vectorised and the same code in every build.

bats_require_minimum_version 1.5.0

setup() {
    cd "$BATS_TEST_DIRNAME/../.." || return 1
    command -v objdump >/dev/null || skip "objdump (binutils) is not installed"
    builds="bin/bench-seq bin/bench-pthread bin/bench-omp"
    if [ -x bin/bench-omp-libomp ]; then
        builds="$builds bin/bench-omp-libomp"
    fi
}

# Prints the instructions of function $2 in binary $1, one per line, without addresses.
instructions() {
    objdump -d --no-show-raw-insn --disassemble="$2" "$1" |
        awk -v f="<$2>:" '$2 == f { on = 1; next } on && NF == 0 { exit } on { $1 = ""; print }'
}

@test "contention: the reduction task is a loop over its increments, not one addition" {
    for b in $builds; do
        code=$(instructions "$b" reduction_task)
        [ -n "$code" ] || { echo "$b: no reduction_task"; false; }
        # a conditional jump back to an earlier address of the function: the loop
        objdump -d --no-show-raw-insn --disassemble=reduction_task "$b" |
            awk 'function hex(s,   n, i) { for (i = 1; i <= length(s); i++)
                                                n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
                                            return n }
                 $2 ~ /^j[a-z]+$/ && $2 != "jmp" && hex($3) < hex(substr($1, 1, length($1) - 1)) { found = 1 }
                 END { exit !found }'
    done
}

@test "memory: the triad is vectorised (packed double arithmetic)" {
    for b in $builds; do
        code=$(instructions "$b" memory_task)
        [[ "$code" == *mulpd* || "$code" == *fmadd*pd* ]] || { echo "$b: $code"; false; }
        [[ "$code" == *addpd* || "$code" == *fmadd*pd* ]]
    done
}

@test "memory: every build runs the same triad code" {
    first=""
    for b in $builds; do
        ops=$(instructions "$b" memory_task | awk '{ print $1 }')
        [ -n "$ops" ]
        [ -z "$first" ] && first=$ops
        [ "$ops" = "$first" ] || { echo "$b differs"; false; }
    done
}
