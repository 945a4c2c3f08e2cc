#!/usr/bin/env bash
# One refresh of a 2,000-service cluster's view when every request costs 50 ms more (a
# far-away region): describe batches one after another vs. several in flight within the ECS
# rate limits (benches/ecs_describes.rs). A private moto, with scripts/latency_relay.py in
# front of it adding the latency.
#
#   scripts/bench_describes.sh [-s SERVICES] [-d DELAY_MS] [-n RUNS] [--no-build]
#   scripts/bench.sh --describes [the same options]

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

services=2000
delay=50
runs=3
build=1
while (($#)); do
    case $1 in
        -s) services=${2:?-s needs a number}; shift 2 ;;
        -d) delay=${2:?-d needs milliseconds}; shift 2 ;;
        -n) runs=${2:?-n needs a number}; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done

ensure_venv
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

if ((build)); then
    log "cargo bench --bench ecs_describes --no-run"
    cargo bench --bench ecs_describes --no-run >&2
fi
bench_bin="$(find "$OPSDECK_ROOT/target/release/deps" -maxdepth 1 -type f -executable \
    -name 'ecs_describes-*' -printf '%T@ %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)"
[[ -n "$bench_bin" ]] || die "no ecs_describes bench executable: run without --no-build"

work=""
opsdeck_tmpdir work
start_moto OPSDECK_MOTO
"$OPSDECK_PY" "$OPSDECK_ROOT/scripts/latency_relay.py" --upstream "127.0.0.1:$OPSDECK_MOTO_PORT" \
    --delay-ms "$delay" >"$work/relay.out" 2>"$work/relay.err" &
register_pid $!
relay_port=""
for _ in $(seq 1 100); do
    relay_port="$(sed -n 's/^listening on //p' "$work/relay.out")"
    [[ -n "$relay_port" ]] && break
    sleep 0.1
done
[[ -n "$relay_port" ]] || die "the latency relay did not start: $(cat "$work/relay.err")"
log "relay on 127.0.0.1:$relay_port adds $delay ms to every request to moto"

out="$work/describes.txt"
"$bench_bin" --seed-endpoint "$OPSDECK_MOTO_URL" --endpoint "http://127.0.0.1:$relay_port" \
    --services "$services" --runs "$runs" >"$out" || die "the ecs_describes bench failed"

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "== opsdeck describes bench, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty 2>/dev/null || echo '?')"
echo "   machine: $(nproc) cores (${cpu_model:-unknown cpu}), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "   $services services in moto behind a relay adding $delay ms per request"
sed -e '/^BENCH /d' -e 's/^/  /' "$out"
