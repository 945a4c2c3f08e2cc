# shellcheck shell=bash
# Shared helpers for opsdeck's scripts. Source it, don't run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Sourcing sets `set -euo pipefail`, defines OPSDECK_ROOT (the repository root) and
# installs ONE trap (EXIT INT TERM HUP) that runs the cleanup registry: every
# register_pid / register_cleanup entry, last registered first. Scripts must not
# install their own EXIT/INT/TERM/HUP traps; register cleanups instead.
#
# Helpers: ensure_venv, ensure_apt PKG..., free_port, start_moto [VAR_PREFIX],
# docker_reachable, ensure_test_image, register_pid PID, register_cleanup CMD...,
# log MSG, die MSG.

set -euo pipefail

if [[ -n "${_OPSDECK_LIB_SOURCED:-}" ]]; then
    return 0
fi
_OPSDECK_LIB_SOURCED=1

# ---------------------------------------------------------------- repo root

OPSDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)"
if [[ ! -f "$OPSDECK_ROOT/Cargo.toml" ]]; then
    echo "lib.sh: cannot find the repository root (no Cargo.toml in $OPSDECK_ROOT)" >&2
    exit 1
fi
export OPSDECK_ROOT
OPSDECK_VENV="$OPSDECK_ROOT/.venv"
OPSDECK_PY="$OPSDECK_VENV/bin/python"
OPSDECK_TEST_IMAGE="${OPSDECK_TEST_IMAGE:-opsdeck-test/busybox:1}"
OPSDECK_MOTO_VERSION="5.2.5"

_opsdeck_name="$(basename "${BASH_SOURCE[1]:-$0}" .sh)"
log() { printf '%s: %s\n' "$_opsdeck_name" "$*" >&2; }
die() { printf '%s: error: %s\n' "$_opsdeck_name" "$*" >&2; exit 1; }

# ---------------------------------------------------------- cleanup registry

_OPSDECK_CLEANUP=()   # entries: "pid:N" or "cmd:SHELL COMMAND"

# register_pid PID: on exit, SIGTERM it (SIGKILL after 5 s) -- only this pid.
register_pid() { _OPSDECK_CLEANUP+=("pid:$1"); }

# register_cleanup CMD...: on exit, eval the command (failures are ignored).
register_cleanup() { _OPSDECK_CLEANUP+=("cmd:$*"); }

_opsdeck_stop_pid() {
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true   # reap it if it is our child
}

_opsdeck_run_cleanup() {
    local rc=$? i entry
    trap - EXIT INT TERM HUP
    # The terminal or a pipe we write to may be gone (tmux kill-session, `| tee`):
    # a write must not kill us half-way through the cleanup.
    trap '' PIPE
    set +e
    for ((i = ${#_OPSDECK_CLEANUP[@]} - 1; i >= 0; i--)); do
        entry=${_OPSDECK_CLEANUP[i]}
        case $entry in
            pid:*) _opsdeck_stop_pid "${entry#pid:}" ;;
            cmd:*) eval "${entry#cmd:}" ;;
        esac
    done
    _OPSDECK_CLEANUP=()
    exit "$rc"
}

trap _opsdeck_run_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# ------------------------------------------------------------- temp dirs

# opsdeck_tmpdir VAR: make a temp dir, removed on exit, and store its path in VAR.
opsdeck_tmpdir() {
    local _d
    _d="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck.XXXXXX")"
    register_cleanup "rm -rf '$_d'"
    printf -v "$1" '%s' "$_d"
}

# ------------------------------------------------------------------- apt

_OPSDECK_APT_UPDATED=""

_opsdeck_pkg_installed() {
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]
}

# ensure_apt PKG...: install the Debian packages that are missing (only those).
ensure_apt() {
    local pkg missing=() sudo=()
    for pkg in "$@"; do
        _opsdeck_pkg_installed "$pkg" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get to install them"
    if [[ $(id -u) -ne 0 ]]; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            die "missing packages: ${missing[*]} (not root and no passwordless sudo: install them yourself)"
        fi
    fi
    if [[ -z "$_OPSDECK_APT_UPDATED" ]]; then
        log "apt-get update (to install: ${missing[*]})"
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
        _OPSDECK_APT_UPDATED=1
    fi
    log "installing ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >&2
}

# ------------------------------------------------------------------ venv

_opsdeck_venv_ok() {
    [[ -x "$OPSDECK_PY" ]] || return 1
    "$OPSDECK_PY" - "$OPSDECK_MOTO_VERSION" <<'EOF' 2>/dev/null
import sys
from importlib.metadata import version
assert version("moto") == sys.argv[1]
for dist in ("flask", "flask-cors", "boto3"):
    version(dist)
import boto3, moto  # noqa: F401  (importable, not just metadata)
EOF
}

# ensure_venv: <repo>/.venv with moto==5.2.5, flask, flask-cors and boto3.
ensure_venv() {
    if _opsdeck_venv_ok; then
        return 0
    fi
    if [[ ! -x "$OPSDECK_PY" ]] || ! "$OPSDECK_PY" -c 'import sys' 2>/dev/null; then
        rm -rf "$OPSDECK_VENV"
        local py
        py="$(command -v python3 || true)"
        [[ -n "$py" ]] || { ensure_apt python3 python3-venv; py="$(command -v python3)"; }
        log "creating $OPSDECK_VENV"
        if ! "$py" -m venv "$OPSDECK_VENV" >&2; then
            # Debian's python3 needs python3-venv for ensurepip
            rm -rf "$OPSDECK_VENV"
            ensure_apt python3-venv
            "$py" -m venv "$OPSDECK_VENV" >&2
        fi
    fi
    log "installing moto==$OPSDECK_MOTO_VERSION flask flask-cors boto3 into .venv"
    "$OPSDECK_PY" -m pip install --disable-pip-version-check -q \
        "moto==$OPSDECK_MOTO_VERSION" flask flask-cors boto3 >&2
    _opsdeck_venv_ok || die "the venv at $OPSDECK_VENV is still not usable after pip install"
}

# --------------------------------------------------------------- ports

# free_port: print a free TCP port on 127.0.0.1 (the kernel picks it).
free_port() {
    local py=python3
    [[ -x "$OPSDECK_PY" ]] && py="$OPSDECK_PY"
    "$py" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# ----------------------------------------------------------------- moto

# _opsdeck_http METHOD URL [JSON_BODY]: exit 0 when the server answers 2xx.
_opsdeck_http() {
    "$OPSDECK_PY" - "$@" <<'EOF'
import sys, urllib.request
method, url = sys.argv[1], sys.argv[2]
body = sys.argv[3].encode() if len(sys.argv) > 3 else None
req = urllib.request.Request(url, data=body, method=method,
                             headers={"Content-Type": "application/json"} if body else {})
try:
    with urllib.request.urlopen(req, timeout=2) as r:
        sys.exit(0 if 200 <= r.status < 300 else 1)
except Exception:
    sys.exit(1)
EOF
}

# start_moto [VAR_PREFIX]: start moto_server on a free loopback port in the
# background (stopped on exit), wait until it answers, pin ECS task transitions
# to manual, and export ${VAR_PREFIX}_URL, _PORT, _PID, _LOG. VAR_PREFIX defaults
# to OPSDECK_MOTO, so the URL lands in OPSDECK_MOTO_URL.
start_moto() {
    local prefix=${1:-OPSDECK_MOTO} dir port pid url attempt deadline
    [[ -x "$OPSDECK_VENV/bin/moto_server" ]] || ensure_venv
    opsdeck_tmpdir dir
    for attempt in 1 2 3; do
        port="$(free_port)"
        url="http://127.0.0.1:$port"
        "$OPSDECK_VENV/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/moto-$port.log" 2>&1 &
        pid=$!
        register_pid "$pid"
        deadline=$((SECONDS + 30))
        while ((SECONDS < deadline)); do
            kill -0 "$pid" 2>/dev/null || break
            if _opsdeck_http GET "$url/moto-api/"; then
                break
            fi
            sleep 0.2
        done
        if kill -0 "$pid" 2>/dev/null && _opsdeck_http GET "$url/moto-api/"; then
            _opsdeck_http POST "$url/moto-api/state-manager/set-transition" \
                '{"model_name":"ecs::task","transition":{"progression":"manual","times":1000000000}}' ||
                die "moto at $url refused the ECS task transition setting"
            printf -v "${prefix}_URL" '%s' "$url"
            printf -v "${prefix}_PORT" '%s' "$port"
            printf -v "${prefix}_PID" '%s' "$pid"
            printf -v "${prefix}_LOG" '%s' "$dir/moto-$port.log"
            # shellcheck disable=SC2163
            export "${prefix}_URL" "${prefix}_PORT" "${prefix}_PID" "${prefix}_LOG"
            log "moto $OPSDECK_MOTO_VERSION on $url (pid $pid)"
            return 0
        fi
        log "moto did not come up on port $port (attempt $attempt); log tail:"
        tail -n 5 "$dir/moto-$port.log" >&2 || true
        _opsdeck_stop_pid "$pid"
    done
    die "could not start moto_server"
}

# -------------------------------------------------------------- docker

# docker_reachable: exit 0 when a Docker engine answers.
docker_reachable() {
    command -v docker >/dev/null 2>&1 || return 1
    if command -v timeout >/dev/null 2>&1; then
        timeout 15 docker info >/dev/null 2>&1
    else
        docker info >/dev/null 2>&1
    fi
}

# ensure_test_image: build opsdeck-test/busybox:1 from Debian's busybox-static
# (no registry needed); skipped when the image exists.
ensure_test_image() {
    if docker image inspect "$OPSDECK_TEST_IMAGE" >/dev/null 2>&1; then
        return 0
    fi
    command -v apt-get >/dev/null 2>&1 || die "apt-get is needed to fetch busybox-static for $OPSDECK_TEST_IMAGE"
    local dir deb bb c
    opsdeck_tmpdir dir
    log "building $OPSDECK_TEST_IMAGE from Debian's busybox-static"
    # apt-get download needs package lists; refresh them once if it fails
    if ! (cd "$dir" && apt-get download busybox-static >/dev/null 2>&1); then
        if [[ -z "$_OPSDECK_APT_UPDATED" && $(id -u) -eq 0 ]]; then
            DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
            _OPSDECK_APT_UPDATED=1
        fi
        (cd "$dir" && apt-get download busybox-static >&2) || die "apt-get download busybox-static failed"
    fi
    deb="$(ls "$dir"/busybox-static_*.deb)"
    dpkg -x "$deb" "$dir/rootfs"
    bb=bin/busybox
    [[ -x "$dir/rootfs/$bb" ]] || bb=usr/bin/busybox
    [[ -x "$dir/rootfs/$bb" ]] || die "no busybox binary in $deb"
    mkdir -p "$dir/rootfs/tmp" "$dir/rootfs/bin"
    chmod 1777 "$dir/rootfs/tmp"
    [[ "$bb" == bin/busybox ]] || ln -sf "/$bb" "$dir/rootfs/bin/busybox"
    for c in sh echo sleep yes cat seq date printf head tr env; do
        ln -sf busybox "$dir/rootfs/bin/$c"
    done
    tar -C "$dir/rootfs" -c . | docker import \
        --change 'CMD ["/bin/sh"]' --change 'ENV PATH=/bin:/usr/bin:/sbin:/usr/sbin' \
        - "$OPSDECK_TEST_IMAGE" >/dev/null
    docker image inspect "$OPSDECK_TEST_IMAGE" >/dev/null 2>&1 || die "docker import of $OPSDECK_TEST_IMAGE failed"
    log "built $OPSDECK_TEST_IMAGE"
}

# -------------------------------------------------------------- a console in tmux

# tui_server SOCKET COLS ROWS: a private tmux server on SOCKET (stopped on exit) whose
# sessions are COLS x ROWS, keep a dead pane for reading, and show no status line. The
# console runs in session `run` (tui_launch); the functions below act on it.
tui_server() {
    TUI_TMUX=(tmux -f /dev/null -S "$1")
    register_cleanup "tmux -S '$1' kill-server 2>/dev/null"
    TUI_COLS=$2
    TUI_ROWS=$3
    "${TUI_TMUX[@]}" new-session -d -s hold -x "$TUI_COLS" -y "$TUI_ROWS" "sleep 100000"
    "${TUI_TMUX[@]}" set -g remain-on-exit on
    "${TUI_TMUX[@]}" set -g status off
}

# tui_launch COMMAND: run COMMAND (a shell command line) in a fresh session `run`.
tui_launch() {
    "${TUI_TMUX[@]}" kill-session -t run 2>/dev/null || true
    "${TUI_TMUX[@]}" new-session -d -s run -x "$TUI_COLS" -y "$TUI_ROWS" "exec $1"
}

tui_screen() { "${TUI_TMUX[@]}" capture-pane -p -J -t run 2>/dev/null; }
tui_pane_dead() { [[ "$("${TUI_TMUX[@]}" display -p -t run '#{pane_dead}' 2>/dev/null)" == 1 ]]; }
tui_keys() { "${TUI_TMUX[@]}" send-keys -t run "$@"; }
tui_typed() { "${TUI_TMUX[@]}" send-keys -t run -l "$1"; }
tui_pid() { "${TUI_TMUX[@]}" display -p -t run '#{pane_pid}'; }

# tui_wait TEXT...: until one screen holds every TEXT, polled every TUI_POLL seconds
# (default 0.05); 1, with the screen on stderr, after TUI_TIMEOUT seconds (default 60) or
# when the console exited.
tui_wait() {
    local deadline=$((SECONDS + ${TUI_TIMEOUT:-60})) scr text all
    while :; do
        scr=$(tui_screen)
        all=1
        for text in "$@"; do
            [[ "$scr" == *"$text"* ]] || { all=0; break; }
        done
        ((all)) && return 0
        if ((SECONDS > deadline)) || tui_pane_dead; then
            log "timed out waiting for '$*'; the screen was:"
            printf '%s\n' "$scr" >&2
            return 1
        fi
        sleep "${TUI_POLL:-0.05}"
    done
}
