#!/usr/bin/env bash
# A container that prints as fast as it can, its log followed in opsdeck: the bytes written to
# the terminal per minute and how long keys take to show, with the log redraw cap off
# (`[logs] redraw_interval_ms = 0`, a frame after every batch) and on (the default 250 ms),
# side by side, alternating runs.
#
#   scripts/bench_flood.sh [-n ROUNDS] [-i SECS] [--no-build]
#
# Each round starts a fresh release binary in a private tmux server (160x48), opens
# `:containers`, filters to the flood container, opens its log with `l` and waits for FOLLOW.
# Then, over SECS (default 20): the bytes written to the terminal (`tmux pipe-pane`, scaled to a
# minute) while following, and KEYS key presses spread over the window (`?` then `esc`), each
# timed from send-keys to the first screen that shows the help (or the log again). Key times
# include tmux's own latency and up to one 5 ms poll. No AWS: the AWS endpoint refuses at once.
#
# The flood container (busybox `yes` printing an access-log-like line) is labelled opsdeck.test=bench-flood-<pid> and removed on
# exit. Prints the machine and date, then one row per setting (median of the rounds for bytes,
# median and worst key over all keys). Goals: under 1 MB a minute, worst key under 50 ms.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

rounds=3
secs=20
build=1
while (($#)); do
    case $1 in
        -n) rounds=${2:?-n needs a number}; shift 2 ;;
        -i) secs=${2:?-i needs seconds}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
((rounds >= 1 && secs >= 5)) || die "-n must be at least 1 and -i at least 5"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 is needed (EPOCHREALTIME)"

COLS=160
ROWS=48
KEYS=10
TIMEOUT_SECS=30

ensure_apt tmux
docker_reachable || die "no Docker engine answers (docker info failed)"
ensure_test_image

bin="$OPSDECK_ROOT/target/release/opsdeck"
if ((build)); then
    log "cargo build --release"
    cargo build --release --bin opsdeck >&2
fi
[[ -x "$bin" ]] || die "no $bin: run without --no-build"

work=""
opsdeck_tmpdir work
label="opsdeck.test=bench-flood-$$"
name="flood-$$"
remove_flood() { docker rm -f "$name" >/dev/null 2>&1 || true; }
register_cleanup remove_flood
# An access-log-like line, as fast as `yes` prints it.
line='2026-12-04T03:00:00.000Z INFO  GET /api/v1/orders/81243 200 12ms user=alice trace=4bf92f3577b34da6'
docker run -d --label "$label" --name "$name" "$OPSDECK_TEST_IMAGE" yes "$line" >/dev/null
log "started $name (yes, ${#line}-byte lines)"

TUI_TIMEOUT=$TIMEOUT_SECS
TUI_POLL=0.005
tui_server "$work/tmux.sock" "$COLS" "$ROWS"

# key_ms KEY TEXT: send KEY, print the milliseconds until TEXT shows.
key_ms() {
    local t0=$EPOCHREALTIME
    tui_keys "$1"
    tui_wait "$2" || return 1
    awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f\n", (b - a) * 1000 }'
}

# round MS: one run with redraw_interval_ms = MS; appends to $work/MS.bytes and $work/MS.keys.
round() {
    local ms=$1 home="$work/home-$1" pipe="$work/pipe-$1"
    mkdir -p "$home/config/opsdeck"
    printf '[logs]\nredraw_interval_ms = %d\n' "$ms" >"$home/config/opsdeck/config.toml"
    tui_launch "$(printf '%q ' env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
        AWS_REGION=eu-west-1 AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench \
        AWS_EC2_METADATA_DISABLED=true "$bin" --endpoint-url http://127.0.0.1:9)"
    tui_wait "clusters" || return 1
    tui_typed ":containers" && tui_keys Enter && tui_wait "$name" || return 1
    tui_typed "/$name" && tui_keys Enter && tui_wait "[1/" || return 1
    sleep 0.3
    tui_typed l && tui_wait "FOLLOW" || return 1
    sleep 1
    : >"$pipe"
    "${TUI_TMUX[@]}" pipe-pane -o -t run "cat >> '$pipe'"
    local start=$SECONDS gap
    gap=$(awk -v s="$secs" -v k="$KEYS" 'BEGIN { printf "%.2f", s / k / 2 }')
    for _ in $(seq "$KEYS"); do
        sleep "$gap"
        key_ms "?" "Help — " >>"$work/$ms.keys" || return 1
        sleep "$gap"
        key_ms Escape "FOLLOW" >>"$work/$ms.keys" || return 1
    done
    local left=$((secs - (SECONDS - start)))
    ((left > 0)) && sleep "$left"
    "${TUI_TMUX[@]}" pipe-pane -t run
    local elapsed=$((SECONDS - start))
    awk -v b="$(stat -c %s "$pipe")" -v t="$elapsed" 'BEGIN { printf "%.0f\n", b / t * 60 }' \
        >>"$work/$ms.bytes"
    "${TUI_TMUX[@]}" kill-session -t run 2>/dev/null || true
}

settings=(0 250)
for r in $(seq "$rounds"); do
    for ms in "${settings[@]}"; do
        log "round $r, redraw_interval_ms = $ms"
        round "$ms" || die "round $r with redraw_interval_ms = $ms failed"
    done
done

median() { sort -n | awk '{ v[NR] = $1 } END { m = (NR + 1) / 2; printf "%.1f", (v[int(m)] + v[int(m + 0.5)]) / 2 }'; }
worst() { sort -n | tail -1; }

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "== opsdeck log flood, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores (${cpu_model:-unknown cpu}); window ${COLS}x${ROWS}; ${rounds} rounds of ${secs} s, alternating"
echo "   a busybox 'yes' container (${#line}-byte lines) followed in its log view; $((KEYS * 2)) keys per round"
echo
printf '%-22s | %-18s | %-15s | %-14s\n' "redraw_interval_ms" "terminal MB/min" "key median ms" "key worst ms"
for ms in "${settings[@]}"; do
    mb=$(awk '{ printf "%.2f\n", $1 / 1e6 }' "$work/$ms.bytes" | median)
    printf '%-22s | %-18s | %-15s | %-14s\n' "$ms" "$mb" "$(median <"$work/$ms.keys")" "$(worst <"$work/$ms.keys")"
done
echo
echo "goals: under 1 MB a minute at ${COLS}x${ROWS}; worst key under 50 ms"
