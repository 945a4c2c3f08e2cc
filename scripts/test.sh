#!/usr/bin/env bash
# Run opsdeck's test suite against real peers: a private moto server (AWS), the
# local Docker engine (when reachable) and OpenSSH's sshd (tests start their own).
#
#   scripts/test.sh [cargo test args...]      e.g. scripts/test.sh --test ecs_moto
#
# Exports for the tests:
#   OPSDECK_MOTO_URL      http://127.0.0.1:PORT of a fresh moto (ECS tasks pinned RUNNING)
#   OPSDECK_PYTHON        <repo>/.venv/bin/python (has boto3)
#   OPSDECK_SEED          <repo>/scripts/seed_fleet.py
#   OPSDECK_TEST_IMAGE    opsdeck-test/busybox:1 (built locally when Docker is reachable)
#   OPSDECK_TEST_RUN_ID   unique id of this run: label test containers opsdeck.test=$OPSDECK_TEST_RUN_ID
#   AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=eu-west-1
#   AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
# and passes OPSDECK_REQUIRE_PEERS through (=1: a test whose server -- moto, the
# Docker engine, sshd -- is missing fails instead of skipping; without a Docker engine
# this script then fails before building). OPSDECK_REQUIRE_DOCKER=1 is an older name.
#
# Afterwards: stops moto and removes the containers labelled opsdeck.test that
# were created during this run. Exits with cargo's status.

# shellcheck source=scripts/lib.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$OPSDECK_ROOT" || exit 1

ensure_apt openssh-server busybox-static tmux libssl-dev pkg-config
ensure_venv
# The SSH tests start their own sshd instances (tests/common/sshd.rs); sshd needs /run/sshd.
"$OPSDECK_ROOT/scripts/sshd.sh" prepare

OPSDECK_TEST_RUN_ID="${OPSDECK_TEST_RUN_ID:-$(date -u +%Y%m%d%H%M%S)-$$}"
export OPSDECK_TEST_RUN_ID OPSDECK_TEST_IMAGE

if docker_reachable; then
    ensure_test_image
    # Remove the test containers created from now on (by this run's tests), not
    # those of another run that may be going on at the same time.
    _run_started="$(date -u +%Y-%m-%dT%H:%M:%S)"
    # shellcheck disable=SC2317  # run by the cleanup trap
    remove_test_containers() {
        local ids id created stale=()
        ids="$(docker ps -aq --no-trunc --filter label=opsdeck.test 2>/dev/null)" || return 0
        for id in $ids; do
            created="$(docker inspect -f '{{.Created}}' "$id" 2>/dev/null)" || continue
            # RFC 3339 UTC timestamps compare as strings
            if [[ ! "${created:0:19}" < "$_run_started" ]]; then
                stale+=("$id")
            fi
        done
        if ((${#stale[@]})); then
            log "removing ${#stale[@]} test container(s) labelled opsdeck.test"
            docker rm -f "${stale[@]}" >/dev/null 2>&1 || true
        fi
    }
    register_cleanup remove_test_containers
elif [[ "${OPSDECK_REQUIRE_PEERS:-0}" == 1 || "${OPSDECK_REQUIRE_DOCKER:-0}" == 1 ]]; then
    die "OPSDECK_REQUIRE_PEERS=1 but no Docker engine answers (docker info failed)"
else
    log "no Docker engine reachable: Docker tests will skip"
fi

export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1 AWS_EC2_METADATA_DISABLED=true
unset AWS_SESSION_TOKEN AWS_PROFILE AWS_ENDPOINT_URL 2>/dev/null || true

start_moto OPSDECK_MOTO
export OPSDECK_PYTHON="$OPSDECK_PY"
export OPSDECK_SEED="$OPSDECK_ROOT/scripts/seed_fleet.py"

status=0
# Library, binary and integration tests; benches are run by scripts/bench*.sh, not here.
# Arguments pick the targets instead (`--test update`, `--lib`), so one suite can be run with
# the servers it needs.
if (($#)); then
    cargo test "$@" || status=$?
else
    cargo test --lib --bins --tests || status=$?
fi
if ((status != 0)); then
    log "cargo test failed (exit $status)"
    n500="$(grep -c '" 500 ' "$OPSDECK_MOTO_LOG" || true)"
    if ((n500 > 0)); then
        log "moto answered $n500 request(s) with HTTP 500 (unimplemented or bad input); last errors:"
        grep -E '^[A-Za-z_.]*(Error|Exception)\b' "$OPSDECK_MOTO_LOG" | tail -n 5 >&2 || true
    fi
fi
exit "$status"
