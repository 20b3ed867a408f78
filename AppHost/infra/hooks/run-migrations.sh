#!/bin/sh
# azd postdeploy hook: runs the migrations Container Apps job once and waits for it.
# Exits non-zero when the job fails, is stopped, or does not finish in time, so `azd deploy` / `azd up` fail too.
# Needs the Azure CLI, signed in (`az login`) to the same tenant as azd. azd passes its environment
# (AZURE_ENV_NAME, AZURE_SUBSCRIPTION_ID, provision outputs) to the hook.
set -eu

job_tag_value=migrations                                   # the job's aspire-resource-name tag (migrations-job.bicep)
timeout_seconds=${MIGRATIONS_JOB_TIMEOUT_SECONDS:-2100}    # the job's replicaTimeout (1800 s) plus a margin
poll_seconds=${MIGRATIONS_JOB_POLL_SECONDS:-10}
max_query_failures=6

fail() {
    echo "run-migrations: $*" >&2
    exit 1
}

# Every az call names the subscription azd deployed to, whatever `az account set` says.
az_sub() {
    if [ -n "${AZURE_SUBSCRIPTION_ID:-}" ]; then
        az "$@" --subscription "$AZURE_SUBSCRIPTION_ID" --only-show-errors
    else
        az "$@" --only-show-errors
    fi
}

line_count() {
    if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is required: https://aka.ms/azure-cli"
az_sub account show --query id -o tsv >/dev/null 2>&1 \
    || fail "the Azure CLI is not signed in to subscription '${AZURE_SUBSCRIPTION_ID:-<default>}': run 'az login'"

# The resource group, found the way azd finds it: AZURE_RESOURCE_GROUP, else the group tagged
# azd-env-name=<env> (not managed by another resource), else rg-<env> (the name azd's main.bicep gives it).
resource_group=${AZURE_RESOURCE_GROUP:-}
if [ -z "$resource_group" ]; then
    : "${AZURE_ENV_NAME:?AZURE_ENV_NAME is not set: run this through azd, or export AZURE_RESOURCE_GROUP}"
    groups=$(az_sub group list --tag "azd-env-name=$AZURE_ENV_NAME" --query "[?managedBy==null].name" -o tsv) \
        || fail "could not list the resource groups (see the az error above)"
    case $(line_count "$groups") in
        0) resource_group="rg-$AZURE_ENV_NAME" ;;
        1) resource_group=$groups ;;
        *) fail "several resource groups are tagged azd-env-name=$AZURE_ENV_NAME; set AZURE_RESOURCE_GROUP" ;;
    esac
fi

# The job, by tag rather than by name, so the module may name it as it likes.
jobs=$(az_sub containerapp job list -g "$resource_group" \
    --query "[?tags.\"aspire-resource-name\"=='$job_tag_value'].name" -o tsv) \
    || fail "could not list the Container Apps jobs of resource group '$resource_group' (see the az error above)"
case $(line_count "$jobs") in
    1) job=$jobs ;;
    0) fail "no Container Apps job tagged aspire-resource-name=$job_tag_value in resource group '$resource_group'" ;;
    *) fail "several Container Apps jobs tagged aspire-resource-name=$job_tag_value in '$resource_group': $(printf '%s ' "$jobs" | tr '\n' ' ')" ;;
esac

echo "run-migrations: starting job '$job' in resource group '$resource_group'"
execution=$(az_sub containerapp job start -n "$job" -g "$resource_group" --query name -o tsv) \
    || fail "could not start job '$job' (see the az error above)"
[ -n "$execution" ] || fail "'az containerapp job start' returned no execution name"
echo "run-migrations: execution '$execution' started; waiting up to ${timeout_seconds}s"

print_logs_hint() {
    cat >&2 <<EOF
run-migrations: to read the execution's logs:
  az containerapp job logs show -n $job -g $resource_group --execution $execution --container migrations
  (a preview command of the containerapp CLI extension), or query Log Analytics:
  ContainerAppConsoleLogs_CL | where ContainerJobName_s == '$job' and ContainerGroupName_s startswith '$execution'
EOF
}

started_at=$(date +%s)
query_failures=0
last_status=
while :; do
    if status=$(az_sub containerapp job execution show -n "$job" -g "$resource_group" \
            --job-execution-name "$execution" --query properties.status -o tsv); then
        query_failures=0
        if [ "$status" != "$last_status" ]; then
            echo "run-migrations: execution status: $status"
            last_status=$status
        fi
        case $status in
            Succeeded)
                echo "run-migrations: migrations succeeded"
                exit 0 ;;
            Failed | Stopped | Degraded)
                print_logs_hint
                fail "execution '$execution' ended as $status" ;;
        esac
    else
        query_failures=$((query_failures + 1))
        [ "$query_failures" -lt "$max_query_failures" ] \
            || fail "could not read the status of execution '$execution' $max_query_failures times in a row"
    fi

    if [ $(($(date +%s) - started_at)) -ge "$timeout_seconds" ]; then
        print_logs_hint
        fail "execution '$execution' did not finish within ${timeout_seconds}s (last status: ${last_status:-unknown})"
    fi
    sleep "$poll_seconds"
done
