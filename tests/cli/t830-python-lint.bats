#!/usr/bin/env bats
# The Python sources compile and pass pyflakes (Debian's pyflakes3, which make deps
# installs): unused names, undefined names and shadowed imports fail the build's tests.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

@test "every module compiles (python3 -m py_compile), writing nothing into src/" {
    PYTHONPYCACHEPREFIX="$BATS_TEST_TMPDIR/cache" python3 -m py_compile "$ROOT"/src/python/benchpy/*.py
    [ -z "$(find "$ROOT/src/python" -name __pycache__)" ]
}

@test "pyflakes3 finds nothing" {
    run pyflakes3 "$ROOT/src/python/benchpy"
    [ "$status" -eq 0 ] || { echo "$output"; return 1; }
    [ -z "$output" ]
}

@test "bin/bench-python is the archive of exactly these sources" {
    diff <(cd "$ROOT/src/python" && ls benchpy/*.py | sort) \
         <(python3 -c 'import sys, zipfile; print("\n".join(sorted(n for n in zipfile.ZipFile(sys.argv[1]).namelist() if n.startswith("benchpy/") and n.endswith(".py"))))' "$ROOT/bin/bench-python")
}
