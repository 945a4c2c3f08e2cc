#!/usr/bin/env bash
# Bytes an idle opsdeck writes to the terminal, view by view. A console that sits open all
# day inside an SSH session should write (almost) nothing while the data it shows does not
# change; every byte written is a byte pushed through the user's connection.
#
#   scripts/bench_idle.sh [-i IDLE_SECS] [--no-build] [VIEW...]
#
# VIEW is one of clusters services tasks containers detail docker hosts asgs journal logs
# (all of them when none is named).
#
# For each view -- clusters, services, tasks, containers (of a task), service detail,
# :containers (Docker), :hosts, :asgs, :journal and a log view (a CloudWatch group that gets
# no new events) -- a fresh release binary is started in a private tmux server against a
# private moto seeded with the demo fleet (scripts/seed_fleet.py --size demo), the view is
# opened by keys, and once it shows its data the bytes written to the terminal
# (`tmux pipe-pane`) are counted over IDLE_SECS (default 60). The default refresh interval
# (5 s) keeps fetching meanwhile and brings identical data each time, so a view that redraws
# only on change writes nothing but what is meant to move (the refresh clock).
#
# The journal view reads a temporary journal of a few entries (XDG_STATE_HOME points at a
# temporary home). The Docker view needs the local engine: the script starts three quiet
# containers labelled opsdeck.test=bench-idle-<pid> of a compose project named after the
# same pid, filters the view to that project (other containers on the engine may come and
# go), and removes only those containers on exit. Without an engine that row says so.
#
# Prints the machine and the date, then `view | bytes in N s | goal | ok/MISSED`. Exit
# status 0 even when a goal is missed; non-zero only when the measurement itself failed.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

idle=60
build=1
only=()
while (($#)); do
    case $1 in
        -i) idle=${2:?-i needs seconds}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
        -*) die "unknown argument: $1 (see --help)" ;;
        *) only+=("$1"); shift ;;
    esac
done
((idle >= 1)) || die "-i must be at least 1"

COLS=160
ROWS=48
GOAL_BYTES=200
TIMEOUT_SECS=60
SETTLE_SECS=3 # after the data shows: let the first refresh land before counting
DOCKER_FILL_SECS=60 # more, on the Docker view: its sparkline fills first (see measure)

ensure_apt tmux
ensure_venv

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

bin="$OPSDECK_ROOT/target/release/opsdeck"
if ((build)); then
    log "cargo build --release (thin LTO: the first build takes ~12 min, a relink ~2 min)"
    cargo build --release --bin opsdeck >&2
fi
[[ -x "$bin" ]] || die "no $bin: run without --no-build"

work=""
opsdeck_tmpdir work
start_moto OPSDECK_MOTO
"$OPSDECK_PY" "$OPSDECK_ROOT/scripts/seed_fleet.py" --endpoint "$OPSDECK_MOTO_URL" \
    --region eu-west-1 --size demo >&2

# ------------------------------------------------------------ a few journal entries

home="$work/home"
mkdir -p "$home/config" "$home/state/opsdeck"
chmod 700 "$home/state/opsdeck"
journal="$home/state/opsdeck/journal.jsonl"
{
    for n in 1 2 3; do
        printf '{"phase":"intent","v":1,"id":"bench-%d","time":"2026-01-0%dT10:00:00Z","who":"arn:aws:sts::123456789012:user/bench","profile":"default","region":"eu-west-1","account":"123456789012","op":{"op":"set_desired","cluster":"payments-prod","service":"payments-worker","from":%d,"to":%d},"before":{"desired":%d}}\n' \
            "$n" "$n" "$((n + 1))" "$((n + 2))" "$((n + 1))"
        printf '{"phase":"result","v":1,"id":"bench-%d","time":"2026-01-0%dT10:00:01Z","ok":true,"summary":"desired is now %d"}\n' \
            "$n" "$n" "$((n + 2))"
    done
} >"$journal"
chmod 600 "$journal"

# ------------------------------------------------------------ quiet Docker containers

docker_ok=0
project="idle$$"
label="opsdeck.test=bench-idle-$$"
if docker_reachable; then
    ensure_test_image
    remove_idle_containers() {
        local ids
        ids="$(docker ps -aq --filter "label=$label" 2>/dev/null)" || return 0
        # shellcheck disable=SC2086  # one id per word
        [[ -z "$ids" ]] || docker rm -f $ids >/dev/null 2>&1 || true
    }
    register_cleanup remove_idle_containers
    for svc in web worker cache; do
        docker run -d --label "$label" \
            --label "com.docker.compose.project=$project" \
            --label "com.docker.compose.service=$svc" \
            --label com.docker.compose.container-number=1 \
            --label com.docker.compose.oneoff=False \
            "$OPSDECK_TEST_IMAGE" sleep 100000 >/dev/null
    done
    docker_ok=1
    log "started 3 quiet containers (compose project $project)"
else
    log "no Docker engine answers: the :containers row is skipped"
fi

# ------------------------------------------------------------ driving one view

TUI_TIMEOUT=$TIMEOUT_SECS
tui_server "$work/tmux.sock" "$COLS" "$ROWS"

# pick TEXT FILTERED TOTAL: filter the list to TEXT, wait for "[FILTERED/TOTAL]", then enter.
pick() {
    tui_typed "/$1"
    tui_keys Enter
    tui_wait "[$2/$3]" || return 1
    sleep 0.3
    tui_keys Enter
}

launch() {
    tui_launch "$(printf '%q ' env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
        "$bin" --endpoint-url "$OPSDECK_MOTO_URL" --region eu-west-1)"
    tui_wait "data-pipeline" "platform-tools" "payments-prod" "search-staging"
}

open_clusters() { launch; }
open_services() { launch && pick payments-prod 1 4 && tui_wait "payments-worker" "fraud-scoring"; }
open_tasks() {
    open_services && pick payments-worker 1 5 && tui_wait "┌ Tasks" "RUNNING"
}
open_containers() { open_tasks && sleep 0.3 && tui_keys Enter && tui_wait "┌ Containers" "container: app"; }
open_detail() {
    open_services && tui_typed "/payments-worker" && tui_keys Enter && tui_wait "[1/5]" &&
        sleep 0.3 && tui_typed d && tui_wait "Deployments"
}
command_line() { tui_typed ":$1" && tui_keys Enter; }
open_docker() {
    launch && command_line containers && tui_wait "┌ Containers " "$project  compose project" &&
        tui_typed "/$project" && tui_keys Enter && tui_wait "$project" "[3/"
}
open_hosts() { launch && command_line hosts && tui_wait "┌ Hosts" "bastion-eu-west-1a"; }
open_asgs() { launch && command_line asgs && tui_wait "Auto Scaling groups" "payments-prod-ecs-asg"; }
open_journal() { launch && command_line journal && tui_wait "┌ Journal" "desired 4 → 5"; }
open_logs() {
    launch && command_line "logs /ecs/payments-worker -2h" && tui_wait "starting payments-worker"
}

# measure VIEW: open it, then print the bytes written over IDLE_SECS (or "skipped"/"failed").
measure() {
    local view=$1 pipe="$work/$1.bytes"
    if [[ "$view" == docker ]] && ((!docker_ok)); then
        echo skipped
        return
    fi
    if ! "open_$view"; then
        echo failed
        return
    fi
    sleep "$SETTLE_SECS"
    # The Docker view's live CPU/memory sparkline gains a bar per sample until it fills its
    # width (about 45 at 160 columns): a moving chart, not a redraw of the same data.
    [[ "$view" == docker ]] && sleep "$DOCKER_FILL_SECS"
    : >"$pipe"
    "${TUI_TMUX[@]}" pipe-pane -o -t run "cat >> '$pipe'"
    sleep "$idle"
    "${TUI_TMUX[@]}" pipe-pane -t run
    sleep 0.2
    if tui_pane_dead; then
        echo failed
        return
    fi
    stat -c %s "$pipe"
}

views=(clusters services tasks containers detail docker hosts asgs journal logs)
if ((${#only[@]})); then
    for view in "${only[@]}"; do
        [[ " ${views[*]} " == *" $view "* ]] || die "unknown view: $view (see --help)"
    done
    views=("${only[@]}")
fi
declare -A label_of=(
    [clusters]="clusters" [services]="services" [tasks]="tasks" [containers]="containers (of a task)"
    [detail]="service detail" [docker]=":containers (Docker)" [hosts]=":hosts" [asgs]=":asgs"
    [journal]=":journal" [logs]="logs (quiet CloudWatch group)"
)
declare -A bytes=()
failed=0
for view in "${views[@]}"; do
    log "idle ${idle} s on ${label_of[$view]}"
    bytes[$view]=$(measure "$view")
    [[ "${bytes[$view]}" == failed ]] && failed=1
    log "  ${bytes[$view]}"
done
"${TUI_TMUX[@]}" kill-session -t run 2>/dev/null || true

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "== opsdeck idle bytes per view, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores (${cpu_model:-unknown cpu}), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "   fleet: demo (4 clusters, 17 services) in moto at $OPSDECK_MOTO_URL; window ${COLS}x${ROWS}"
echo "   bytes written to the terminal (tmux pipe-pane) over ${idle} s, ${SETTLE_SECS} s after the data showed"
echo "   (:containers: $((SETTLE_SECS + DOCKER_FILL_SECS)) s after, once its live sparkline has filled its width)"
echo
printf '%-32s | %-14s | %-12s | %s\n' view "bytes in ${idle} s" "goal < $GOAL_BYTES B" ""
for view in "${views[@]}"; do
    b=${bytes[$view]}
    case $b in
        skipped) verdict="skipped (no Docker engine)" ;;
        failed) verdict="FAILED (the view never showed its data)" ;;
        *) if ((b < GOAL_BYTES)); then verdict=ok; else verdict=MISSED; fi ;;
    esac
    printf '%-32s | %14s | %-12s | %s\n' "${label_of[$view]}" "$b" "< $GOAL_BYTES B" "$verdict"
done
exit "$failed"
