#!/bin/sh
# Runs the migration worker once in Azure with the arguments given, as one execution of the `migrations` Container Apps
# job (which no deployment starts), and waits for it: e.g. `--target <migration>` to roll back, `--list` to look.
# The execution names its image itself — the job's current one, which the last `azd deploy` set, or `--image <image>` —
# and the job's secrets, so a deployment that changes the job meanwhile cannot change what runs. On timeout or
# interrupt the execution is stopped. Exits 0 when it succeeded, 1 otherwise (saying so when the worker gave up
# waiting for a lock).
# Usage: run-migrations-job.sh [--image <image>] <worker arguments>...   (see docs/deploy.md)
set -eu
script_name=run-migrations-job
. "$(dirname "$0")/azure-cli.sh"

timeout_seconds=${MIGRATIONS_JOB_TIMEOUT_SECONDS:-2100}    # the job's replicaTimeout (1800 s) plus a margin
poll_seconds=${MIGRATIONS_JOB_POLL_SECONDS:-10}
max_query_failures=6

image=
if [ "${1:-}" = --image ]; then
    [ $# -ge 2 ] && [ -n "$2" ] || fail "--image needs an image, e.g. <registry>/<repository>:<tag>"
    image=$2
    shift 2
fi
[ $# -gt 0 ] || fail "usage: run-migrations-job.sh [--image <image>] <worker arguments>, e.g. --target <migration> (see docs/deploy.md)"

require_signed_in_az
find_resource_group
find_tagged "containerapp job" migrations
job=$found
if [ -z "$image" ]; then
    image=$(az_sub containerapp job show -n "$job" -g "$resource_group" --query "properties.template.containers[0].image" -o tsv) \
        || fail "could not read the image of job '$job' (see the az error above)"
    [ -n "$image" ] || fail "job '$job' names no image; give one with --image"
fi

# The execution's template, in full: an execution that names an image replaces the job's container, so it repeats the
# job's secrets and resources (the hosting library's migrations-job.bicep). YAML, so that arguments starting with dashes stay arguments.
workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
quoted() {
    printf "'%s'" "$(printf '%s' "$1" | sed "s/'/''/g")"
}
{
    echo "containers:"
    echo "  - name: migrations"
    echo "    image: $(quoted "$image")"
    echo "    args:"
    for argument in "$@"; do
        echo "      - $(quoted "$argument")"
    done
    echo "    env:"
    echo "      - name: ConnectionStrings__appdb"
    echo "        secretRef: appdb-connection-string"
    echo "      - name: ConnectionStrings__appdb-web"
    echo "        secretRef: appdb-web-connection-string"
    echo "    resources:"
    echo "      cpu: 0.5"
    echo "      memory: 1Gi"
} >"$workdir/execution.yaml"

echo "$script_name: starting job '$job' in resource group '$resource_group' with image '$image' and arguments: $*"
execution=$(az_sub containerapp job start -n "$job" -g "$resource_group" --yaml "$workdir/execution.yaml" --query name -o tsv) \
    || fail "could not start job '$job' (see the az error above)"
[ -n "$execution" ] || fail "'az containerapp job start' returned no execution name"
echo "$script_name: execution '$execution' started; waiting up to ${timeout_seconds}s"

stop_execution() {
    if az_sub containerapp job stop -n "$job" -g "$resource_group" --job-execution-name "$execution" >/dev/null; then
        echo "$script_name: execution '$execution' stopped" >&2
    else
        echo "$script_name: could not stop execution '$execution': az containerapp job stop -n $job -g $resource_group --job-execution-name $execution" >&2
    fi
}
interrupted() {
    end_pause
    echo "$script_name: interrupted; stopping execution '$execution'" >&2
    stop_execution
    exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

# The worker's output, when the Azure CLI can read it (`job logs show` is a preview command of the containerapp extension).
execution_logs() {
    az_sub containerapp job logs show -n "$job" -g "$resource_group" --execution "$execution" --container migrations \
        --format text --tail 300 2>/dev/null
}
print_logs_hint() {
    cat >&2 <<EOF2
$script_name: to read the execution's logs:
  az containerapp job logs show -n $job -g $resource_group --execution $execution --container migrations
  or in Log Analytics: ContainerAppConsoleLogs_CL | where ContainerJobName_s == '$job' and ContainerGroupName_s startswith '$execution'
EOF2
}

started_at=$(date +%s)
query_failures=0
last_status=
while :; do
    if read_execution_status "$job" "$execution"; then
        case $status in
            Succeeded)
                if logs=$(execution_logs); then
                    printf '%s\n' "$logs"
                fi
                echo "$script_name: execution '$execution' succeeded"
                exit 0 ;;
            Failed | Stopped | Degraded)
                if logs=$(execution_logs); then
                    printf '%s\n' "$logs" >&2
                    # The worker's own words for a lock wait it gave up on, or PostgreSQL's code for it (lock_timeout).
                    case $logs in
                        *"lock wait timed out"* | *55P03*)
                            fail "execution '$execution' failed: the worker gave up waiting for a lock (lock wait timed out) and rolled that migration back; run it again when the load is lower" ;;
                    esac
                else
                    print_logs_hint
                fi
                fail "execution '$execution' ended as $status" ;;
        esac
    fi

    if waited "$timeout_seconds"; then
        stop_execution
        print_logs_hint
        fail "execution '$execution' did not finish within ${timeout_seconds}s and was stopped (last status: ${last_status:-unknown})"
    fi
    pause "$poll_seconds"
done
