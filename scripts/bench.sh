#!/usr/bin/env bash
# Measure opsdeck as a person meets it: the release binary in a private tmux server against
# a private moto seeded with the bench fleet (20 clusters: 19 x 50 services + bench-wide
# with 250; 5,000 running tasks; 200 container instances).
#
#   scripts/bench.sh [-n RUNS] [-i IDLE_SECS] [--no-build]
#   scripts/bench.sh --describes [...]   serial vs parallel describes of 2,000 services behind
#                                        50 ms of latency (scripts/bench_describes.sh)
#
# Prints, with the machine and the date:
#   launch -> first drawn frame, launch -> clusters listed       (min / median / max of RUNS)
#   enter on bench-wide -> its 250 services listed               (same runs)
#   the same ECS calls timed on their own (cargo bench --bench ecs_calls), and the
#     requests one refresh of the services view sends vs. the least possible
#   after the last run, idle on bench-wide's services (a refresh every 5 s brings
#     identical data): peak RSS (VmHWM), CPU and bytes written to the terminal
#     (tmux pipe-pane) over IDLE_SECS, and moto requests per refresh
# and checks them against the goals. Exit status 0 even when a goal is missed (the
# table says so); non-zero only when the measurement itself failed.
#
# How: tmux capture-pane is polled every 10 ms; times are wall-clock from just before
# `tmux new-session` (or send-keys) to the first capture showing the text, so they
# include tmux's own start-up and up to one poll interval. The program runs via `exec`
# in the pane, so the pane's pid is opsdeck's pid for /proc readings.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

runs=5
idle=60
build=1
[[ "${1:-}" == --describes ]] && exec "$OPSDECK_ROOT/scripts/bench_describes.sh" "${@:2}"
while (($#)); do
    case $1 in
        -n) runs=${2:?-n needs a number}; shift 2 ;;
        -i) idle=${2:?-i needs seconds}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
((runs >= 1)) || die "-n must be at least 1"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 is needed (EPOCHREALTIME)"

COLS=160
ROWS=48
POLL=0.01
TIMEOUT_MS=60000
REFRESH_SECS=5 # the default [general] refresh_interval

ensure_apt tmux
ensure_venv

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

bin="$OPSDECK_ROOT/target/release/opsdeck"
if ((build)); then
    log "cargo build --release (thin LTO: the first build takes ~12 min, a relink ~2 min)"
    cargo build --release --bin opsdeck >&2
    log "cargo bench --bench ecs_calls --no-run"
    cargo bench --bench ecs_calls --no-run >&2
fi
[[ -x "$bin" ]] || die "no $bin: run without --no-build"
# The bench executable cargo just built (the newest, should there be older ones).
calls_bin="$(find "$OPSDECK_ROOT/target/release/deps" -maxdepth 1 -type f -executable \
    -name 'ecs_calls-*' -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)"
[[ -n "$calls_bin" ]] || die "no ecs_calls bench executable: run without --no-build"

work=""
opsdeck_tmpdir work
start_moto OPSDECK_MOTO
seed_start=$SECONDS
"$OPSDECK_PY" "$OPSDECK_ROOT/scripts/seed_fleet.py" --endpoint "$OPSDECK_MOTO_URL" \
    --region eu-west-1 --size bench >&2
log "seeded the bench fleet in $((SECONDS - seed_start)) s"

# ------------------------------------------------------------ measuring

now_ms() {
    local t=$EPOCHREALTIME
    echo $((${t%.*} * 1000 + 10#${t#*.} / 1000))
}

# utime + stime of a process (all threads), in clock ticks
cpu_ticks() {
    local s
    s=$(<"/proc/$1/stat") || { echo -1; return; }
    s=${s##*) }
    # shellcheck disable=SC2086  # split the fields on purpose
    set -- $s
    echo $((${12} + ${13}))
}

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }

# moto's access log has one line per request
moto_requests() { grep -c '"POST / HTTP' "$OPSDECK_MOTO_LOG" || true; }

# stats: "min median max" of the integers on stdin
stats() {
    sort -n | awk '{ a[NR] = $1 } END {
        if (NR == 0) { print "n/a n/a n/a"; exit }
        m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
        printf "%d %d %d\n", a[1], m, a[NR] }'
}

TM=()
screen() { "${TM[@]}" capture-pane -p -J -t run 2>/dev/null; }
pane_dead() { [[ "$("${TM[@]}" display -p -t run '#{pane_dead}' 2>/dev/null)" == 1 ]]; }

# wait_text TEXT: print the time (ms) of the first screen containing TEXT
wait_text() {
    local text=$1 deadline=$(($(now_ms) + TIMEOUT_MS)) t
    while :; do
        t=$(now_ms)
        if [[ "$(screen)" == *"$text"* ]]; then
            echo "$t"
            return 0
        fi
        if ((t > deadline)) || pane_dead; then
            log "timed out waiting for '$text'; the screen was:"
            screen >&2
            return 1
        fi
        sleep "$POLL"
    done
}

first_frame=()
first_data=()
open_wide=()
pid=""
for run in $(seq 1 "$runs"); do
    sock="$work/tmux.$run.sock"
    if ((${#TM[@]})); then "${TM[@]}" kill-server 2>/dev/null || true; fi
    TM=(tmux -f /dev/null -S "$sock")
    register_cleanup "tmux -S '$sock' kill-server 2>/dev/null"
    home="$work/home.$run"
    mkdir -p "$home"
    # An idle session first, so the server is up before the clock starts.
    "${TM[@]}" new-session -d -s hold -x "$COLS" -y "$ROWS" "sleep 100000"
    "${TM[@]}" set -g remain-on-exit on
    "${TM[@]}" set -g status off
    cmd=$(printf '%q ' env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
        "$bin" --endpoint-url "$OPSDECK_MOTO_URL" --region eu-west-1)
    t0=$(now_ms)
    "${TM[@]}" new-session -d -s run -x "$COLS" -y "$ROWS" "exec $cmd"
    pid=$("${TM[@]}" display -p -t run '#{pane_pid}')
    t1=""
    t2=""
    deadline=$((t0 + TIMEOUT_MS))
    while :; do
        scr=$(screen)
        t=$(now_ms)
        [[ -z "$t1" && "$scr" =~ [^[:space:]] ]] && t1=$t
        if [[ "$scr" == *"bench-wide"* ]]; then
            t2=$t
            break
        fi
        if ((t > deadline)) || pane_dead; then
            screen >&2
            die "run $run: the clusters never appeared"
        fi
        sleep "$POLL"
    done
    first_frame+=($((t1 - t0)))
    first_data+=($((t2 - t0)))

    # Select bench-wide with a filter, then time enter -> 250 services listed.
    "${TM[@]}" send-keys -t run -l "/bench-wide"
    "${TM[@]}" send-keys -t run Enter
    wait_text "[1/20]" >/dev/null || die "run $run: the filter did not apply"
    sleep 0.3
    ts=$(now_ms)
    "${TM[@]}" send-keys -t run Enter
    te=$(wait_text "Services bench-wide [250]") || die "run $run: bench-wide's services never appeared"
    open_wide+=($((te - ts)))
    log "run $run (pid $pid): first frame $((t1 - t0)) ms, clusters $((t2 - t0)) ms, bench-wide $((te - ts)) ms"
done

# Idle on the last run, on the 250 services.
sleep 3
[[ -d "/proc/$pid" ]] || die "opsdeck (pid $pid) exited before the idle window"
pipe="$work/idle.bytes"
: >"$pipe"
log "idle for $idle s on bench-wide's services"
"${TM[@]}" pipe-pane -o -t run "cat >> '$pipe'"
r0=$(moto_requests)
c0=$(cpu_ticks "$pid")
w0=$(now_ms)
sleep "$idle"
c1=$(cpu_ticks "$pid")
w1=$(now_ms)
r1=$(moto_requests)
"${TM[@]}" pipe-pane -t run
sleep 0.2
idle_bytes=$(stat -c %s "$pipe")
hwm_kb=$(status_kb "$pid" VmHWM)
rss_kb=$(status_kb "$pid" VmRSS)
threads=$(status_kb "$pid" Threads)
clk=$(getconf CLK_TCK)
wall_s=$(awk -v a="$w0" -v b="$w1" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
cpu_s=$(awk -v a="$c0" -v b="$c1" -v h="$clk" 'BEGIN { printf "%.2f", (b - a) / h }')
cpu_pct=$(awk -v c="$cpu_s" -v w="$wall_s" 'BEGIN { printf "%.2f", 100 * c / w }')
idle_requests=$((r1 - r0))
refreshes=$(awk -v w="$wall_s" -v r="$REFRESH_SECS" 'BEGIN { printf "%d", w / r }')
requests_per_refresh=$(awk -v q="$idle_requests" -v n="$refreshes" 'BEGIN { if (n > 0) printf "%.1f", q / n; else print "n/a" }')
"${TM[@]}" send-keys -t run q

# The same calls on their own.
log "timing the ECS calls on their own (benches/ecs_calls.rs)"
calls_out="$work/ecs_calls.txt"
"$calls_bin" --endpoint "$OPSDECK_MOTO_URL" --runs 10 >"$calls_out" ||
    die "the ecs_calls bench failed"
bench_value() { sed -n "s/^BENCH $1=//p" "$calls_out"; }

read -r ff_min ff_med ff_max < <(printf '%s\n' "${first_frame[@]}" | stats)
read -r fd_min fd_med fd_max < <(printf '%s\n' "${first_data[@]}" | stats)
read -r ow_min ow_med ow_max < <(printf '%s\n' "${open_wide[@]}" | stats)
cold_ms=$(bench_value cold_clusters_ms)
svc_ms=$(bench_value services_warm_median_ms)
calls=$(bench_value calls_per_services_refresh)
min_calls=$(bench_value min_calls_per_services_refresh)
data_gap=$(awk -v a="$fd_med" -v b="$cold_ms" 'BEGIN { printf "%d", a - b }')
open_gap=$(awk -v a="$ow_med" -v b="$svc_ms" 'BEGIN { printf "%d", a - b }')
hwm_mb=$(awk -v k="$hwm_kb" 'BEGIN { printf "%.1f", k / 1024 }')

verdict() { if awk "BEGIN { exit !($1) }"; then echo ok; else echo MISSED; fi; }

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "== opsdeck bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores (${cpu_model:-unknown cpu}), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "   fleet: bench (20 clusters, 1,200 services, 5,000 tasks) in moto at $OPSDECK_MOTO_URL"
echo "   window ${COLS}x${ROWS}, $runs runs, capture-pane polled every ${POLL}s"
echo
printf '%-50s %8s %8s %8s\n' "time (ms)" min median max
printf '%-50s %8s %8s %8s\n' "launch -> first drawn frame" "$ff_min" "$ff_med" "$ff_max"
printf '%-50s %8s %8s %8s\n' "launch -> clusters listed" "$fd_min" "$fd_med" "$fd_max"
printf '%-50s %8s %8s %8s\n' "enter on bench-wide -> 250 services listed" "$ow_min" "$ow_med" "$ow_max"
echo
echo "the same ECS calls on their own:"
sed -e '/^BENCH /d' -e 's/^/  /' "$calls_out"
echo
echo "idle ${wall_s} s on bench-wide's services (pid $pid, $threads threads):"
printf '  %-48s %s\n' "peak RSS (VmHWM)" "$hwm_kb kB ($hwm_mb MiB); now $rss_kb kB"
printf '  %-48s %s\n' "CPU" "$cpu_s s = $cpu_pct %"
printf '  %-48s %s\n' "bytes written to the terminal" "$idle_bytes B"
printf '  %-48s %s\n' "moto requests" "$idle_requests in ~$refreshes refreshes = $requests_per_refresh per refresh"
echo
printf '%-58s %-22s %s\n' goal measured ""
printf '%-58s %-22s %s\n' "first frame < 100 ms (median)" "$ff_med ms" "$(verdict "$ff_med < 100")"
printf '%-58s %-22s %s\n' "first data within 100 ms of the calls' cost ($cold_ms ms)" "$(printf '%+d ms' "$data_gap")" "$(verdict "$data_gap < 100")"
printf '%-58s %-22s %s\n' "250 services within 100 ms of the calls' cost ($svc_ms ms)" "$(printf '%+d ms' "$open_gap")" "$(verdict "$open_gap < 100")"
printf '%-58s %-22s %s\n' "RSS < 40 MB" "$hwm_mb MiB" "$(verdict "$hwm_kb < 40960")"
printf '%-58s %-22s %s\n' "idle CPU < 1 %" "$cpu_pct %" "$(verdict "$cpu_pct < 1")"
printf '%-58s %-22s %s\n' "< 1 KB written to the terminal in ${idle} s idle" "$idle_bytes B" "$(verdict "$idle_bytes < 1024")"
printf '%-58s %-22s %s\n' "calls per services refresh at the minimum ($min_calls)" "$calls" "$(verdict "$calls <= $min_calls")"
