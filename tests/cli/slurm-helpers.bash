# A one-node Slurm cluster of the test's own, on this machine: munged, slurmctld and
# slurmd with their key, socket, slurm.conf, state, spool, logs and pid files in one
# temporary folder, on ports nobody listens on. slurm_start in setup_file, slurm_stop in
# teardown_file. Each daemon runs in the foreground under `timeout`, so that even a test
# run killed before its teardown leaves no daemon for longer than TEST_SLURM_LIFETIME.
# shellcheck shell=bash

TEST_SLURM_LIFETIME=${TEST_SLURM_LIFETIME:-900}

# Why this machine cannot have a cluster of its own, or nothing.
slurm_missing() {
    local c
    if [ "$(id -u)" -ne 0 ]; then
        echo "needs root: slurmd runs the jobs and munged its own key as root"
        return
    fi
    for c in munged slurmctld slurmd sbatch squeue scontrol sinfo scancel; do
        command -v "$c" >/dev/null 2>&1 || { echo "$c not found (make deps installs slurm-wlm and munge)"; return; }
    done
}

# Two TCP ports free on every address, as the kernel hands them out.
free_ports() {
    python3 -c '
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))'
}

# Starts the cluster; exports SLURM_CONF and TEST_SLURM_DIR, and TEST_SLURM_SKIP (why, when the
# machine cannot have one: the tests skip). Fails, with the daemons' logs, when it should
# start and does not.
slurm_start() {
    TEST_SLURM_SKIP=$(slurm_missing)
    export TEST_SLURM_SKIP
    [ -z "$TEST_SLURM_SKIP" ] || return 0
    # The munge socket's path must fit a sockaddr_un: a short folder of our own in /tmp.
    TEST_SLURM_DIR=$(mktemp -d /tmp/bench-slurm.XXXXXX)
    export TEST_SLURM_DIR
    local d=$TEST_SLURM_DIR host cpus mem ctld_port d_port
    # munged wants its socket's folder, and the folders above it, searchable by all.
    chmod 711 "$d"
    mkdir -p "$d/state" "$d/spool" "$d/munge"
    chmod 711 "$d/munge"
    dd if=/dev/urandom of="$d/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$d/munge/munge.key"
    host=$(hostname -s)
    cpus=$(nproc)
    mem=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
    read -r ctld_port d_port <<<"$(free_ports)"
    cat >"$d/slurm.conf" <<CONF
ClusterName=benchtest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge/socket
CredType=cred/munge
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
KillWait=5
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$d/slurm.conf
    # Background daemons must not hold bats' output (fd 3), or bats waits for them.
    timeout -k 5 "$TEST_SLURM_LIFETIME" munged -F -S "$d/munge/socket" --key-file="$d/munge/munge.key" \
        --pid-file="$d/munge/pid" --log-file="$d/munge/log" --seed-file="$d/munge/seed" \
        >"$d/munged.out" 2>&1 3>&- &
    echo $! >"$d/munged.timeout"
    for _ in $(seq 100); do
        [ -S "$d/munge/socket" ] && break
        sleep 0.05
    done
    timeout -k 5 "$TEST_SLURM_LIFETIME" slurmctld -D -f "$d/slurm.conf" >"$d/slurmctld.out" 2>&1 3>&- &
    echo $! >"$d/slurmctld.timeout"
    timeout -k 5 "$TEST_SLURM_LIFETIME" slurmd -D -f "$d/slurm.conf" >"$d/slurmd.out" 2>&1 3>&- &
    echo $! >"$d/slurmd.timeout"
    for _ in $(seq 200); do
        [ "$(sinfo -h -o %t 2>/dev/null)" = idle ] && return 0
        sleep 0.1
    done
    echo "the test cluster did not come up within 20 s; sinfo says: $(sinfo -h -o '%t %E' 2>&1)"
    tail -n 20 "$d"/*.log "$d"/*.out "$d"/munge/log 2>&1
    slurm_stop
    return 1
}

# Cancels what is left of the test's jobs, stops the daemons (munged last: the others
# talk through it), waits until they are gone, removes the folder.
slurm_stop() {
    [ -n "${TEST_SLURM_DIR:-}" ] && [ -d "$TEST_SLURM_DIR" ] || return 0
    local d=$TEST_SLURM_DIR name pid
    # The jobs first, while slurmd is there to end their steps.
    scancel --quiet --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 100); do
        [ -z "$(squeue -h -t running,completing,configuring -o %i 2>/dev/null)" ] && break
        sleep 0.1
    done
    for name in slurmd slurmctld munged; do
        [ -f "$d/$name.timeout" ] || continue
        pid=$(cat "$d/$name.timeout")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    for _ in $(seq 100); do
        [ -z "$(slurm_daemons "$d")" ] && break
        sleep 0.1
    done
    rm -rf "$d"
}

# The daemons of this cluster still alive (none after slurm_stop), and its job steps
# (slurmstepd, which inherits slurmd's SLURM_CONF): their pids.
slurm_daemons() {
    local d=$1 pid
    pgrep -f "(slurmctld|slurmd) -D -f $d/slurm.conf|munged -F -S $d/munge/socket" || true
    for pid in $(pgrep -x slurmstepd || true); do
        if { tr '\0' '\n' <"/proc/$pid/environ"; } 2>/dev/null | grep -qxF "SLURM_CONF=$d/slurm.conf"; then
            echo "$pid"
        fi
    done
}
