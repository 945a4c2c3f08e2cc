#!/usr/bin/env bash
# Start a private moto server, seed the bench fleet into it and keep it running
# until Ctrl-C, so benchmarks can run against it from another terminal:
#
#   scripts/bench_seed.sh [--size bench|demo|small] [--prefix P]
#
# Bench fleet: 20 clusters (19 x 50 services + "bench-wide" with 250), 5,000
# running tasks, 200 EC2 container instances. Ctrl-C stops moto.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

size=bench
seed_args=()
while (($#)); do
    case $1 in
        --size) size=${2:?--size needs a value}; shift 2 ;;
        --prefix) seed_args+=(--prefix "${2?--prefix needs a value}"); shift 2 ;;
        -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
        *) die "unknown argument: $1" ;;
    esac
done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true

ensure_venv
start_moto OPSDECK_MOTO
start=$SECONDS
"$OPSDECK_PY" "$OPSDECK_ROOT/scripts/seed_fleet.py" --endpoint "$OPSDECK_MOTO_URL" --region eu-west-1 \
    --size "$size" "${seed_args[@]}"
log "seeded in $((SECONDS - start)) s; moto pid $OPSDECK_MOTO_PID"
echo "OPSDECK_MOTO_URL=$OPSDECK_MOTO_URL"
echo "  e.g.: AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true \\"
echo "        target/release/opsdeck --endpoint-url $OPSDECK_MOTO_URL --region eu-west-1"
log "running until Ctrl-C"
status=0
wait "$OPSDECK_MOTO_PID" || status=$?
die "moto exited on its own (status $status)"
