#!/usr/bin/env bash
# Try opsdeck on a realistic fake fleet, no AWS account needed:
#
#   scripts/demo.sh [opsdeck args...]
#
# Starts a private moto server (AWS API emulator) seeded with 4 ECS clusters,
# 17 services, 43 running tasks, EC2 hosts, Auto Scaling groups and CloudWatch
# logs; when a Docker engine answers, also starts a few labelled containers of a
# "shop" compose project that print log lines. Then builds and runs opsdeck
# against all that. Quitting opsdeck (or Ctrl-C) stops moto and removes the demo
# containers.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true
# Services moto creates start with this runningCount: "degraded" services (ones the
# seeder never scales) then show 1 of N running.
export MOTO_ECS_SERVICE_RUNNING="${MOTO_ECS_SERVICE_RUNNING:-1}"

ensure_venv
start_moto OPSDECK_MOTO
"$OPSDECK_PY" "$OPSDECK_ROOT/scripts/seed_fleet.py" --endpoint "$OPSDECK_MOTO_URL" --region eu-west-1 --size demo

# ------------------------------------------------------------ demo containers

DEMO_RUN="demo-$$-$(date +%s)"

# shellcheck disable=SC2016  # the loops are expanded by the container's sh
start_demo_containers() {
    register_cleanup "docker ps -aq --filter 'label=opsdeck.demo.run=$DEMO_RUN' | xargs -r docker rm -f >/dev/null 2>&1"
    local svc name script n=0
    for svc in web worker cache migrate; do
        case $svc in
            web) script='i=0; paths="/ /products /products/42 /cart /checkout /api/search?q=lamp /healthz"
while true; do
  i=$((i+1)); set -- $paths; shift $((i % 7)); p=${1:-/}
  s=200; [ $((i % 17)) -eq 0 ] && s=404; [ $((i % 53)) -eq 0 ] && s=502
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) INFO  172.18.0.$((i % 9 + 2)) \"GET $p HTTP/1.1\" $s $((i * 37 % 4000 + 120)) rt=0.$((i * 13 % 900))s"
  [ $s -eq 502 ] && echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) ERROR upstream worker:8000 timed out after 30s" >&2
  sleep 1
done' ;;
            worker) script='i=0
while true; do
  i=$((i+1))
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) INFO  job=send-order-email id=$((4000 + i)) status=done duration_ms=$((i * 91 % 700 + 40))"
  [ $((i % 5)) -eq 0 ] && echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) INFO  job=sync-inventory rows=$((i * 17 % 300)) status=done"
  [ $((i % 11)) -eq 0 ] && echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) WARN  job=charge-card id=$((9000 + i)) retry=1 reason=\"gateway 429\""
  sleep 2
done' ;;
            cache) script='echo "1:C $(date -u) * Ready to accept connections tcp"; i=0
while true; do
  i=$((i+1))
  echo "1:M $(date -u +%d\ %b\ %Y\ %H:%M:%S) * $((i % 100 + 1)) changes in 60 seconds. Saving..."
  echo "1:M $(date -u +%d\ %b\ %Y\ %H:%M:%S) * Background saving terminated with success"
  sleep 5
done' ;;
            migrate) script='echo "migrate: applying 0042_add_order_index ... ok"; echo "migrate: applying 0043_backfill_sku ... ok"; echo "migrate: 2 migrations applied"; exit 0' ;;
        esac
        n=$((n + 1))
        name="shop-$svc-1"
        # keep compose-style names when free; otherwise let Docker pick one
        local name_args=(--name "$name")
        if docker container inspect "$name" >/dev/null 2>&1; then
            name_args=()
        fi
        docker run -d "${name_args[@]}" \
            --label opsdeck.demo=1 \
            --label "opsdeck.demo.run=$DEMO_RUN" \
            --label com.docker.compose.project=shop \
            --label "com.docker.compose.service=$svc" \
            --label com.docker.compose.container-number=1 \
            --label com.docker.compose.oneoff=False \
            "$OPSDECK_TEST_IMAGE" sh -c "$script" >/dev/null
    done
    log "started $n demo containers (compose project 'shop', label opsdeck.demo=1)"
}

if docker_reachable; then
    ensure_test_image
    start_demo_containers
else
    log "no Docker engine reachable: the Docker view will be empty"
fi

# ------------------------------------------------------------------- opsdeck

cargo build --bin opsdeck
log "moto: $OPSDECK_MOTO_URL (stopped when opsdeck exits)"
status=0
# Not exec: the cleanup trap must run after opsdeck quits.
"${CARGO_TARGET_DIR:-$OPSDECK_ROOT/target}/debug/opsdeck" --endpoint-url "$OPSDECK_MOTO_URL" --region eu-west-1 "$@" || status=$?
exit "$status"
