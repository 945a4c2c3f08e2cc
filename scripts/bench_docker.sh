#!/usr/bin/env bash
# Measure the Docker side of opsdeck against the local engine, as a person meets it:
#
#   1. idle: 20 running containers and the containers view open, IDLE_SECS without a key:
#      opsdeck's CPU, peak RSS and bytes written to the terminal (tmux pipe-pane), and
#      dockerd's CPU over the same window next to a window with opsdeck closed (dockerd also
#      serves everyone else);
#   2. a container flooding its log, followed: terminal bytes a minute and key latency, with
#      the log redraw cap off and on (scripts/bench_flood.sh);
#   3. the log pipeline on its own (cargo bench --bench docker_logs): 1,000,000 lines from
#      `seq` through the tail, the batching and `update` into the log view's ring buffer:
#      lines/s, the longest loop turn (a key waits at most that long) and RSS as lines come.
#
#   scripts/bench_docker.sh [-i IDLE_SECS] [--no-build]
#
# Uses the release binary in a private tmux server (160x48). Every container it starts is
# labelled opsdeck.test=bench-<pid> and removed on exit.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

idle=60
build=1
while (($#)); do
    case $1 in
        -i) idle=${2:?-i needs seconds}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

ensure_apt tmux
docker_reachable || die "no Docker engine answers (docker info failed)"
ensure_test_image

bin="$OPSDECK_ROOT/target/release/opsdeck"
if ((build)); then
    log "cargo build --release (thin LTO: a relink takes about two minutes)"
    cargo build --release --bin opsdeck >&2
fi
[[ -x "$bin" ]] || die "no release binary at $bin (run without --no-build)"

label="opsdeck.test=bench-$$"
remove_bench_containers() {
    local ids
    ids="$(docker ps -aq --filter "label=$label" 2>/dev/null)" || return 0
    # shellcheck disable=SC2086  # one id per word
    [[ -z "$ids" ]] || docker rm -f $ids >/dev/null 2>&1 || true
}
register_cleanup remove_bench_containers

work=""
opsdeck_tmpdir work
home="$work/home"
mkdir -p "$home"
# opsdeck with a private home and an AWS endpoint that refuses at once: only Docker is measured.
cat >"$work/opsdeck.sh" <<EOF
#!/bin/sh
exec env HOME="$home" XDG_CONFIG_HOME="$home" XDG_STATE_HOME="$home" \
    AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
    AWS_EC2_METADATA_DISABLED=true "$bin" --endpoint-url http://127.0.0.1:9
EOF
chmod +x "$work/opsdeck.sh"

dockerd_pid="$(pgrep -xo dockerd || true)"
ticks_of() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
clk=$(getconf CLK_TCK)

log "starting 20 containers"
for i in $(seq -w 1 20); do
    docker run -d --label "$label" --name "bench-$$-$i" "$OPSDECK_TEST_IMAGE" \
        sh -c "trap 'exit 0' TERM; while true; do sleep 1; done" >/dev/null
done

TUI_TIMEOUT=30
tui_server "$work/tmux.sock" 160 48

echo "== opsdeck Docker bench — $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(docker version -f 'engine {{.Server.Version}}' 2>/dev/null)"
echo
echo "-- 1. idle: 20 running containers, containers view open, ${idle} s"
d0=$( [[ -n "$dockerd_pid" ]] && ticks_of "$dockerd_pid" || echo 0)
sleep "$idle"
d1=$( [[ -n "$dockerd_pid" ]] && ticks_of "$dockerd_pid" || echo 0)
tui_launch "$work/opsdeck.sh"
tui_wait "clusters" || die "opsdeck did not start"
tui_typed ":containers"
tui_keys Enter
tui_wait "bench-$$-20" || die "the containers view did not show the bench containers"
sleep 3
pid=$(tui_pid)
: >"$work/idle.bytes"
"${TUI_TMUX[@]}" pipe-pane -o -t run "cat >> '$work/idle.bytes'"
o0=$(ticks_of "$pid")
d2=$( [[ -n "$dockerd_pid" ]] && ticks_of "$dockerd_pid" || echo 0)
sleep "$idle"
o1=$(ticks_of "$pid")
d3=$( [[ -n "$dockerd_pid" ]] && ticks_of "$dockerd_pid" || echo 0)
"${TUI_TMUX[@]}" pipe-pane -t run
hwm=$(awk '/^VmHWM/ { printf "%.1f MiB", $2 / 1024 }' "/proc/$pid/status")
"${TUI_TMUX[@]}" kill-session -t run
awk -v o0="$o0" -v o1="$o1" -v t="$idle" -v hz="$clk" -v b="$(stat -c %s "$work/idle.bytes")" -v hwm="$hwm" 'BEGIN {
    printf "  opsdeck: CPU %.2f%% of a core, peak RSS %s, %d bytes to the terminal\n",
        (o1 - o0) / hz / t * 100, hwm, b }'
if [[ -n "$dockerd_pid" ]]; then
    awk -v a="$d0" -v b="$d1" -v c="$d2" -v d="$d3" -v t="$idle" -v hz="$clk" 'BEGIN {
        printf "  dockerd CPU: %.2f%% of a core with the view open, %.2f%% with opsdeck closed\n",
            (d - c) / hz / t * 100, (b - a) / hz / t * 100 }'
fi

echo
echo "-- 2. a container flooding its log, followed (scripts/bench_flood.sh)"
"$OPSDECK_ROOT/scripts/bench_flood.sh" -n 2 --no-build

echo
echo "-- 3. the log pipeline (cargo bench --bench docker_logs)"
cargo bench --bench docker_logs 2>/dev/null
