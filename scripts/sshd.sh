#!/usr/bin/env bash
# Throwaway OpenSSH sshd instances on loopback, for tests, benchmarks and trying the SSH
# features by hand. Each instance lives in its own directory with generated keys; it is
# stopped by the pid it wrote there, never by name.
#
#   scripts/sshd.sh prepare
#       check that sshd is installed and create its privilege separation dir (/run/sshd)
#   scripts/sshd.sh start DIR [ADDR] [PORT]
#       generate DIR/host_ed25519, DIR/user_ed25519 (authorized for any user) and
#       DIR/sshd_config, start sshd on ADDR:PORT (127.0.0.1 and a free port by default),
#       and print the port. Log: DIR/sshd.log. Extra config lines: DIR/extra.conf.
#   scripts/sshd.sh stop DIR
#       stop the sshd started in DIR (by the pid in DIR/sshd.pid)
#
# Log in with: ssh -i DIR/user_ed25519 -p PORT -o UserKnownHostsFile=DIR/known_hosts ADDR

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SSHD_BIN=/usr/sbin/sshd

usage() { die "usage: sshd.sh prepare | start DIR [ADDR] [PORT] | stop DIR"; }

prepare() {
    [[ -x "$SSHD_BIN" ]] || die "$SSHD_BIN not found: apt-get install openssh-server"
    command -v ssh-keygen >/dev/null || die "ssh-keygen not found: apt-get install openssh-client"
    if [[ ! -d /run/sshd ]]; then
        mkdir -p /run/sshd 2>/dev/null || log "cannot create /run/sshd (not root?): sshd may refuse to start"
    fi
}

start() {
    local dir=$1 addr=${2:-127.0.0.1} port=${3:-} i
    [[ -n "$dir" ]] || usage
    prepare
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd -P)"
    [[ -f "$dir/sshd.pid" ]] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null &&
        die "an sshd from $dir is already running (pid $(cat "$dir/sshd.pid"))"
    [[ -n "$port" ]] || port="$(free_port)"
    [[ -f "$dir/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-host -f "$dir/host_ed25519"
    [[ -f "$dir/user_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -C opsdeck-user -f "$dir/user_ed25519"
    cp "$dir/user_ed25519.pub" "$dir/authorized_keys"
    {
        printf 'Port %s\nListenAddress %s\nHostKey %s/host_ed25519\n' "$port" "$addr" "$dir"
        printf 'AuthorizedKeysFile %s/authorized_keys\nPidFile %s/sshd.pid\n' "$dir" "$dir"
        printf 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n'
        printf 'StrictModes no\nPermitRootLogin prohibit-password\nAllowTcpForwarding yes\n'
        printf 'PrintMotd no\nPrintLastLog no\nLogLevel VERBOSE\n'
        [[ -f "$dir/extra.conf" ]] && cat "$dir/extra.conf"
    } >"$dir/sshd_config"
    rm -f "$dir/sshd.pid"
    "$SSHD_BIN" -f "$dir/sshd_config" -E "$dir/sshd.log" ||
        die "sshd did not start; see $dir/sshd.log"
    for ((i = 0; i < 100; i++)); do
        [[ -s "$dir/sshd.pid" ]] && break
        sleep 0.05
    done
    [[ -s "$dir/sshd.pid" ]] || die "sshd wrote no pid file; see $dir/sshd.log"
    log "sshd on $addr:$port (pid $(cat "$dir/sshd.pid")), key $dir/user_ed25519"
    printf '%s\n' "$port"
}

stop() {
    local dir=$1 pid
    [[ -n "$dir" ]] || usage
    [[ -f "$dir/sshd.pid" ]] || { log "no sshd.pid in $dir: nothing to stop"; return 0; }
    pid="$(cat "$dir/sshd.pid")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        log "stopped sshd pid $pid"
    fi
    rm -f "$dir/sshd.pid"
}

case "${1:-}" in
    prepare) prepare ;;
    start) shift; start "$@" ;;
    stop) shift; stop "$@" ;;
    *) usage ;;
esac
