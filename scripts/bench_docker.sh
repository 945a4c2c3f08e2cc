#!/usr/bin/env bash
# Measure the Docker side of opsdeck against the local engine, as a person meets it:
#
#   1. idle: 20 running containers and the containers view open, IDLE_SECS without a key:
#      opsdeck's CPU, RSS and bytes written to the terminal, and dockerd's CPU over the
#      same window next to a window with opsdeck closed (dockerd also serves everyone else);
#   2. keys while a container floods its log as fast as it can (`yes`), its log view open:
#      key -> screen latency of `?` (help) and `esc` (back to the log), several rounds;
#   3. the log pipeline on its own (cargo bench --bench docker_logs): 1,000,000 lines from
#      `seq` through the tail, the batching and `update` into the log view's ring buffer:
#      lines/s, the longest loop turn (a key waits at most that long) and RSS as lines come.
#
#   scripts/bench_docker.sh [-i IDLE_SECS] [--no-build]
#
# Uses the release binary and the tmux probe `measure_tui.sh` (set MEASURE_TUI to its path;
# by default ../shared/tools/measure_tui.sh next to the repository). Every container it
# starts is labelled opsdeck.test=bench-<pid> and removed on exit.

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

measure="${MEASURE_TUI:-$OPSDECK_ROOT/../shared/tools/measure_tui.sh}"
[[ -x "$measure" || -f "$measure" ]] || die "measure_tui.sh not found at $measure (set MEASURE_TUI)"
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
ticks() { [[ -n "$dockerd_pid" ]] && awk '{print $14 + $15}' "/proc/$dockerd_pid/stat" || echo 0; }
# measure_tui calls this hook around its idle window: record dockerd's CPU ticks.
cat >"$work/hook.sh" <<EOF
#!/bin/sh
case "\$1" in
    idle-start|idle-end) echo "\$1 \$(awk '{print \$14 + \$15}' /proc/$dockerd_pid/stat 2>/dev/null)" >>"$work/dockerd.ticks" ;;
esac
EOF
chmod +x "$work/hook.sh"
clk=$(getconf CLK_TCK)

log "starting 20 containers"
for i in $(seq -w 1 20); do
    docker run -d --label "$label" --name "bench-$$-$i" "$OPSDECK_TEST_IMAGE" \
        sh -c "trap 'exit 0' TERM; while true; do sleep 1; done" >/dev/null
done

echo "== opsdeck Docker bench — $(nproc) CPUs, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(docker version -f 'engine {{.Server.Version}}' 2>/dev/null)"
echo
echo "-- 1. idle: 20 running containers, containers view open, ${idle} s"
before=$(ticks)
sleep "$idle"
after=$(ticks)
"$measure" -q -n 1 -i "$idle" -P "$work/hook.sh" -w clusters \
    -s ":containers Enter=>bench-$$-20" -- "$work/opsdeck.sh"
if [[ -n "$dockerd_pid" && -s "$work/dockerd.ticks" ]]; then
    read -r _ start < <(grep idle-start "$work/dockerd.ticks")
    read -r _ end < <(grep idle-end "$work/dockerd.ticks")
    awk -v b="$before" -v a="$after" -v s="$start" -v e="$end" -v t="$idle" -v hz="$clk" 'BEGIN {
        printf "  dockerd CPU: %.2f%% of a core with the view open, %.2f%% with opsdeck closed\n",
            (e - s) / hz / t * 100, (a - b) / hz / t * 100 }'
fi

echo
echo "-- 2. keys while a container floods its log (yes)"
docker run -d --label "$label" --name "flood-$$" "$OPSDECK_TEST_IMAGE" yes >/dev/null
"$measure" -q -n 3 -i 10 -w clusters \
    -s ":containers Enter=>flood-$$" -s "/flood-$$ Enter=>[1/" -s "l=>FOLLOW" \
    -s "?=>Help — esc" -s "Escape=>FOLLOW" -s "?=>Help — esc" -s "Escape=>FOLLOW" \
    -- "$work/opsdeck.sh"
docker rm -f "flood-$$" >/dev/null 2>&1 || true

echo
echo "-- 3. the log pipeline (cargo bench --bench docker_logs)"
cargo bench --bench docker_logs 2>/dev/null
