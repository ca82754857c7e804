# Builds the three benchmark binaries from one set of workload sources, runs the tests
# and the suite. Project flags sit under the user's: CFLAGS=... adds, never replaces.

CC       ?= cc
STD      := -std=c11 -D_GNU_SOURCE
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wformat=2 -Wundef -Wpointer-arith
OPT      ?= -O2 -g
DEPFLAGS  = -MMD -MP
# src/ holds one folder per part: the harness of the bench binaries (core), the backends
# and the pool, the workloads, pinning, the net server and the summary tool, and what
# several programs share (common). Headers are found by name in any of them.
SRC_DIRS := common core pinning backends workloads netserver summary
vpath %.c $(SRC_DIRS:%=src/%)
INCS     := $(SRC_DIRS:%=-Isrc/%)
FINAL_CFLAGS = $(STD) $(WARN) $(OPT) $(INCS) $(CPPFLAGS) $(CFLAGS)
LDLIBS_ALL  = -lhwloc -lpthread -lm $(LDLIBS)

# Sources every binary shares; the backend (and the pool) make the difference.
# Every src/workloads/workload_*.c is a workload: adding one needs no line here.
WORKLOADS := $(sort $(notdir $(basename $(wildcard src/workloads/workload_*.c))))
COMMON   := main options env ompplace helptext listing jsonout parse params schedule error \
            workload tally $(WORKLOADS) harness output stats topology waitpolicy affinity policy \
            placement describe cleanup fstype selfpath netchild netproto fdlimit interference counters
COMMON_O  = $(COMMON:%=build/gcc/%.o)

BINS := bin/bench-seq bin/bench-pthread bin/bench-omp bin/bench-netserver bin/bench-summary

# The suite's statistics tool reads results.csv; it shares only the small modules.
SUMMARY_O := build/gcc/summary.o build/gcc/json.o build/gcc/stats.o build/gcc/parse.o \
             build/gcc/error.o

# A second OpenMP runtime, LLVM's libomp, when clang and libomp are installed (make deps
# installs them): the same objects, only backend_omp.c compiled by clang against libomp,
# so the two OpenMP binaries differ in nothing but the runtime.
CLANG ?= clang
HAVE_LIBOMP := $(shell printf '\043include <omp.h>\nint main(void){return omp_get_max_threads() < 1;}\n' \
                 | $(CLANG) -fopenmp=libomp -x c - -o /dev/null >/dev/null 2>&1 && echo yes)
ifeq ($(HAVE_LIBOMP),yes)
BINS += bin/bench-omp-libomp
endif

# Short lines by default ("  CC    build/gcc/main.o"); make V=1 shows whole commands,
# make -s nothing.
ifeq ($(V),1)
Q :=
say := :
else ifneq ($(findstring s,$(firstword -$(MAKEFLAGS))),)
Q := @
say := :
else
Q := @
say := printf '  %-5s %s\n'
endif

.PHONY: all deps check tsan unit clean bench tune report slurm
all: $(BINS)

deps:
	@sh scripts/deps

# A flags stamp: objects rebuild when the flags change, since results are comparable
# only between binaries built the same way.
build/gcc/.flags: FORCE | build/gcc
	@echo '$(CC) $(FINAL_CFLAGS)' | cmp -s - $@ || echo '$(CC) $(FINAL_CFLAGS)' > $@

build/clang/.flags: FORCE | build/clang
	@echo '$(CLANG) $(FINAL_CFLAGS)' | cmp -s - $@ || echo '$(CLANG) $(FINAL_CFLAGS)' > $@

build/gcc build/gcc/tests build/clang build/tsan build/tsan/tests bin bin/tsan:
	@mkdir -p $@

OMPFLAGS := -fopenmp

build/gcc/backend_omp.o: backend_omp.c build/gcc/.flags | build/gcc
	@$(say) CC $@
	$(Q)$(CC) $(FINAL_CFLAGS) $(OMPFLAGS) -DBENCH_OMPFLAGS_TEXT='"$(OMPFLAGS)"' $(DEPFLAGS) -c $< -o $@

# --describe reports the flags a binary was built with: a header made from the flags
# stamp (its first word, the compiler, dropped), escaped as a C string.
build/%/build_flags.h: build/%/.flags
	@$(say) GEN $@
	$(Q)sed -e 's/^[^ ]* //' -e 's/ *$$//' -e 's/[\\"]/\\&/g' \
	    -e 's/.*/#define BENCH_BUILD_FLAGS "&"/' $< > $@.tmp
	$(Q)mv $@.tmp $@

build/gcc/describe.o: describe.c build/gcc/build_flags.h build/gcc/.flags | build/gcc
	@$(say) CC $@
	$(Q)$(CC) $(FINAL_CFLAGS) -Ibuild/gcc $(DEPFLAGS) -c $< -o $@

build/clang/backend_omp.o: backend_omp.c build/clang/.flags | build/clang
	@$(say) CLANG $@
	$(Q)$(CLANG) $(FINAL_CFLAGS) -fopenmp=libomp -DBENCH_OMPFLAGS_TEXT='"-fopenmp=libomp"' \
	    $(DEPFLAGS) -c $< -o $@

# The triad kernel of the memory workload is vectorised (#pragma omp simd, honoured with
# -fopenmp-simd and no OpenMP runtime) and is one object that every binary links, so every
# build runs the same kernel. Its loop starts on a 64-byte boundary: on this EPYC the same
# 32-byte loop ran at 28 GB/s on one thread where it straddled one and at 41 GB/s where it
# did not, which the link address decided, binary by binary. The flags are this file's
# alone (private: a prerequisite such as build/gcc/.flags must not inherit them, or the
# flags stamp would flip with whichever target reached it first), so the object also
# depends on this Makefile.
SIMD_FLAGS := -fopenmp-simd -falign-loops=64
build/gcc/workload_memory.o: private FINAL_CFLAGS += $(SIMD_FLAGS)
build/tsan/workload_memory.o: private TSAN_FLAGS += $(SIMD_FLAGS)
build/pic/workload_memory.o: private PIC_FLAGS += $(SIMD_FLAGS)
build/gcc/workload_memory.o build/tsan/workload_memory.o build/pic/workload_memory.o: Makefile

build/gcc/%.o: %.c build/gcc/.flags | build/gcc
	@$(say) CC $@
	$(Q)$(CC) $(FINAL_CFLAGS) $(DEPFLAGS) -c $< -o $@

# What two backends share without a third: backend_plain (seq, pthread: no OpenMP) and
# backend_nospawn (seq, omp: no team made for one region).
bin/bench-seq: $(COMMON_O) build/gcc/backend_seq.o build/gcc/backend_plain.o \
               build/gcc/backend_nospawn.o | bin
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

bin/bench-pthread: $(COMMON_O) build/gcc/pool.o build/gcc/backend_pthread.o \
                   build/gcc/backend_plain.o | bin
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

bin/bench-omp: $(COMMON_O) build/gcc/backend_omp.o build/gcc/backend_nospawn.o | bin
	@$(say) LD $@
	$(Q)$(CC) $(OMPFLAGS) $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

bin/bench-omp-libomp: $(COMMON_O) build/clang/backend_omp.o build/gcc/backend_nospawn.o | bin
	@$(say) LD $@
	$(Q)$(CLANG) -fopenmp=libomp $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

# The net workload's server, a separate program so that its work is not measured.
NETSERVER_O := $(addprefix build/gcc/,netserver_main.o netserver.o netproto.o fdlimit.o error.o parse.o)
bin/bench-netserver: $(NETSERVER_O) | bin
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

bin/bench-summary: build/gcc/summary_main.o build/gcc/selfpath.o $(SUMMARY_O) | bin
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lm $(LDLIBS) -o $@

# ---- bench-python (issue 15) ----------------------------------------------------------
# The Python backend: bin/bench-python, a zipapp of src/python/benchpy run by Debian's
# python3, and bin/libbench.so, which it loads with ctypes: the bench binaries' objects
# (less main) compiled -fPIC in build/pic, the sequential backend, and src/python/pylib.c.
# bench-python-{seq,threads,processes} are links to it named like the other binaries
# (bin/bench-BACKEND); the name chooses the backend.
PYTHON     ?= /usr/bin/python3
PIC_FLAGS   = $(FINAL_CFLAGS) -fPIC -DBENCH_SHARED_LIBRARY
# The sequential build's backend objects, as bin/bench-seq links them.
PYLIB_O     = $(addprefix build/pic/,$(addsuffix .o,$(filter-out main,$(COMMON)) \
                backend_seq backend_plain backend_nospawn pylib))
PY_SOURCES := $(wildcard src/python/benchpy/*.py)
PY_BINS    := bin/bench-python bin/bench-python-seq bin/bench-python-threads \
              bin/bench-python-processes
vpath %.c src/python

all: bin/libbench.so $(PY_BINS)

build/pic build/python:
	@mkdir -p $@

build/pic/.flags: FORCE | build/pic
	@echo '$(CC) $(PIC_FLAGS)' | cmp -s - $@ || echo '$(CC) $(PIC_FLAGS)' > $@

build/pic/describe.o: describe.c build/pic/build_flags.h build/pic/.flags | build/pic
	@$(say) CC $@
	$(Q)$(CC) $(PIC_FLAGS) -Ibuild/pic $(DEPFLAGS) -c $< -o $@

build/pic/%.o: %.c build/pic/.flags | build/pic
	@$(say) CC $@
	$(Q)$(CC) $(PIC_FLAGS) $(DEPFLAGS) -c $< -o $@

bin/libbench.so: $(PYLIB_O) | bin
	@$(say) LD $@
	$(Q)$(CC) -shared $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

# The package is copied without its caches, so that the archive holds sources only.
bin/bench-python: $(PY_SOURCES) | bin build/python
	@$(say) PY $@
	$(Q)rm -rf build/python/benchpy && mkdir -p build/python/benchpy
	$(Q)cp $(PY_SOURCES) build/python/benchpy/
	$(Q)$(PYTHON) -m zipapp build/python -m 'benchpy.main:main' -p '$(PYTHON)' -o $@.tmp
	$(Q)chmod 755 $@.tmp && mv $@.tmp $@

bin/bench-python-%: bin/bench-python
	@$(say) LN $@
	$(Q)ln -sf bench-python $@
# ---- end of bench-python ----------------------------------------------------------------

# ---- tests -----------------------------------------------------------------------------
# Unit tests link the modules they test; each is a cmocka binary that speaks TAP.
UNIT_TESTS := build/gcc/tests/test_pool build/gcc/tests/test_options \
              build/gcc/tests/test_checksum build/gcc/tests/test_affinity \
              build/gcc/tests/test_netserver build/gcc/tests/test_costs \
              build/gcc/tests/test_summary build/gcc/tests/test_interference \
              build/gcc/tests/test_harness build/gcc/tests/test_env \
              build/gcc/tests/test_counters build/gcc/tests/test_tally

build/gcc/tests/%.o: tests/unit/%.c build/gcc/.flags | build/gcc/tests
	@$(say) CC $@
	$(Q)$(CC) $(FINAL_CFLAGS) $(DEPFLAGS) -c $< -o $@

build/gcc/tests/test_pool: build/gcc/tests/test_pool.o build/gcc/pool.o build/gcc/error.o \
                           build/gcc/schedule.o build/gcc/parse.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_options: build/gcc/tests/test_options.o build/gcc/backend_seq.o \
                              build/gcc/backend_plain.o build/gcc/backend_nospawn.o \
                              $(filter-out build/gcc/main.o,$(COMMON_O))
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_checksum: build/gcc/tests/test_checksum.o build/gcc/pool.o \
                               build/gcc/backend_pthread.o build/gcc/backend_plain.o \
                               $(filter-out build/gcc/main.o,$(COMMON_O))
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_env: build/gcc/tests/test_env.o build/gcc/env.o build/gcc/ompplace.o \
                          build/gcc/waitpolicy.o build/gcc/policy.o build/gcc/topology.o \
                          build/gcc/affinity.o build/gcc/schedule.o build/gcc/parse.o \
                          build/gcc/helptext.o build/gcc/counters.o build/gcc/error.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_interference: build/gcc/tests/test_interference.o build/gcc/interference.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka -lm $(LDLIBS) -o $@

build/gcc/tests/test_counters: build/gcc/tests/test_counters.o build/gcc/counters.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka -lpthread $(LDLIBS) -o $@

# The harness against a backend of the test's own, which injects faults.
build/gcc/tests/test_harness: build/gcc/tests/test_harness.o build/gcc/harness.o \
                              build/gcc/interference.o build/gcc/counters.o build/gcc/cleanup.o \
                              build/gcc/placement.o build/gcc/affinity.o build/gcc/error.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_summary: build/gcc/tests/test_summary.o $(SUMMARY_O)
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka -lm $(LDLIBS) -o $@

build/gcc/tests/test_tally: build/gcc/tests/test_tally.o build/gcc/tally.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS) -o $@

build/gcc/tests/test_affinity: build/gcc/tests/test_affinity.o build/gcc/affinity.o \
                               build/gcc/placement.o build/gcc/error.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_netserver: build/gcc/tests/test_netserver.o build/gcc/netserver.o \
                                build/gcc/netproto.o build/gcc/fdlimit.o build/gcc/error.o
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/gcc/tests/test_costs: build/gcc/tests/test_costs.o build/gcc/pool.o \
                            build/gcc/backend_pthread.o build/gcc/backend_plain.o \
                            $(filter-out build/gcc/main.o,$(COMMON_O))
	@$(say) LD $@
	$(Q)$(CC) $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

# ThreadSanitizer builds of the pool's tests and of bench-pthread, in their own folder.
TSAN_FLAGS := $(STD) $(WARN) -O1 -g -fsanitize=thread $(INCS) $(CPPFLAGS) $(CFLAGS)
TSAN_POOL  := pool error schedule parse
TSAN_BENCH := $(COMMON) pool backend_pthread backend_plain

build/tsan/.flags: FORCE | build/tsan
	@echo '$(CC) $(TSAN_FLAGS)' | cmp -s - $@ || echo '$(CC) $(TSAN_FLAGS)' > $@

build/tsan/%.o: %.c build/tsan/.flags | build/tsan
	@$(say) CC $@
	$(Q)$(CC) $(TSAN_FLAGS) $(DEPFLAGS) -c $< -o $@

build/tsan/describe.o: describe.c build/tsan/build_flags.h build/tsan/.flags | build/tsan
	@$(say) CC $@
	$(Q)$(CC) $(TSAN_FLAGS) -Ibuild/tsan $(DEPFLAGS) -c $< -o $@

build/tsan/tests/%.o: tests/unit/%.c build/tsan/.flags | build/tsan/tests
	@$(say) CC $@
	$(Q)$(CC) $(TSAN_FLAGS) $(DEPFLAGS) -c $< -o $@

build/tsan/tests/test_pool: build/tsan/tests/test_pool.o $(TSAN_POOL:%=build/tsan/%.o)
	@$(say) LD $@
	$(Q)$(CC) -fsanitize=thread $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

build/tsan/tests/test_costs: build/tsan/tests/test_costs.o \
                            $(filter-out build/tsan/main.o,$(TSAN_BENCH:%=build/tsan/%.o))
	@$(say) LD $@
	$(Q)$(CC) -fsanitize=thread $(LDFLAGS) $^ -lcmocka $(LDLIBS_ALL) -o $@

bin/tsan/bench-pthread: $(TSAN_BENCH:%=build/tsan/%.o) | bin/tsan
	@$(say) LD $@
	$(Q)$(CC) -fsanitize=thread $(LDFLAGS) $^ $(LDLIBS_ALL) -o $@

TSAN_BINS := build/tsan/tests/test_pool build/tsan/tests/test_costs bin/tsan/bench-pthread

unit: $(UNIT_TESTS)

# `make tsan` on its own: the pool tests and bench-pthread under ThreadSanitizer.
tsan: deps $(TSAN_BINS)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" bash scripts/run-tests build/tsan/tests/test_pool \
	    build/tsan/tests/test_costs tests/cli/t790-tsan-costs.bats tests/cli/t900-tsan.bats

# Everything, counted in one closing line "N passed, N failed".
check: deps all $(UNIT_TESTS) $(TSAN_BINS)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" bash scripts/run-tests $(UNIT_TESTS) \
	    build/tsan/tests/test_pool build/tsan/tests/test_costs tests/cli/*.bats

# ---- the suite ---------------------------------------------------------------------------
# make bench [SUITE=quick|default|path/to/file.suite]; make tune WORKLOAD=cpu [PARAMS=...]
SUITE    ?= default
BACKEND  ?= omp
bench: deps all
	@bash scripts/bench $(BENCH_FLAGS) $(SUITE)

tune: deps all
	@bash scripts/tune $(WORKLOAD) --backend $(BACKEND) $(foreach p,$(PARAMS),-p $(p))

# make slurm [SUITE=...] [SLURM_FLAGS='--nodes 4 --sbatch "-p compute -t 1:00:00"']: the
# suite through Slurm, one exclusive job per node (docs/cluster.md).
slurm: deps all
	@bash scripts/bench --no-build --slurm $(SLURM_FLAGS) $(BENCH_FLAGS) $(SUITE)

# ---- the report --------------------------------------------------------------------------
# make report: reuses results/latest when it is a finished run of SUITE newer than the
# binaries, else runs SUITE first (a run with failed configurations is still reported);
# make report RESULTS=results/RUN_ID reports that run as it is; REPORT_DIR=... writes
# somewhere other than report/. Last line: the page.
REPORT_DIR ?= report
report: deps all
ifeq ($(RESULTS),)
	@bash scripts/fresh results/latest $(SUITE) || bash scripts/bench --no-build $(BENCH_FLAGS) $(SUITE) || [ $$? -eq 1 ]
	@bash scripts/report results/latest $(REPORT_DIR)
else
	@bash scripts/report $(RESULTS) $(REPORT_DIR)
endif

clean:
	rm -rf build bin

FORCE:

-include $(wildcard build/*/*.d build/*/tests/*.d)
