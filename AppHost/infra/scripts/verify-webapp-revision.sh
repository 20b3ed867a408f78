#!/bin/sh
# azd postdeploy hook: checks that the web app's newest revision turned ready, which it does only once its init
# container ran the migrations successfully, and fails `azd up` / `azd deploy` otherwise, saying where the migration's
# output is. It starts and stops nothing: Azure Container Apps owns the revision, retries a failed init container, and
# keeps the previous revision serving until the new one is ready. azd passes its environment (AZURE_ENV_NAME,
# AZURE_SUBSCRIPTION_ID, provision outputs) to the hook.
set -eu
script_name=verify-webapp-revision
. "$(dirname "$0")/azure-cli.sh"

timeout_seconds=${WEBAPP_REVISION_TIMEOUT_SECONDS:-1200}   # azd's own deploy timeout per service
poll_seconds=${WEBAPP_REVISION_POLL_SECONDS:-10}
max_query_failures=6

interrupted() {
    end_pause
    echo "$script_name: interrupted; the revision carries on in Azure Container Apps (nothing to stop)" >&2
    exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

require_signed_in_az
find_resource_group
find_tagged containerapp webapp
app=$found

revision=$(az_sub containerapp show -n "$app" -g "$resource_group" --query properties.latestRevisionName -o tsv) \
    || fail "could not read the Container App '$app' (see the az error above)"
[ -n "$revision" ] || fail "the Container App '$app' has no revision"
echo "$script_name: waiting up to ${timeout_seconds}s for revision '$revision' of '$app' to turn ready (its init container migrates first)"

print_logs_hint() {
    cat >&2 <<EOF2
$script_name: the migration's output is in the init container 'migrations' of revision '$revision':
  az containerapp logs show -n $app -g $resource_group --revision $revision --container migrations --tail 100
  or in Log Analytics: ContainerAppConsoleLogs_CL | where RevisionName_s == '$revision' and ContainerName_s == 'migrations'
$script_name: the previous revision keeps serving; fix the cause and deploy again.
EOF2
}

started_at=$(date +%s)
query_failures=0
last_state=
while :; do
    if ready=$(az_sub containerapp show -n "$app" -g "$resource_group" --query properties.latestReadyRevisionName -o tsv) \
        && state=$(az_sub containerapp revision show -n "$app" -g "$resource_group" --revision "$revision" \
            --query "[properties.provisioningState, properties.runningState]" -o tsv); then
        query_failures=0
        if [ "$ready" = "$revision" ]; then
            echo "$script_name: revision '$revision' is ready: the migrations succeeded and it takes the traffic"
            exit 0
        fi

        # One line per value: the provisioning state, then the running state.
        set -- $state
        provisioning=${1:-unknown}
        running=${2:-unknown}
        if [ "$provisioning/$running" != "$last_state" ]; then
            echo "$script_name: revision '$revision': $provisioning, $running"
            last_state="$provisioning/$running"
        fi
        case "$provisioning/$running" in
            Failed/* | */Failed | */Degraded)
                print_logs_hint
                fail "revision '$revision' did not turn ready ($provisioning, $running)" ;;
        esac
    else
        query_failed "the state of revision '$revision'"
    fi

    if waited "$timeout_seconds"; then
        print_logs_hint
        fail "revision '$revision' did not turn ready within ${timeout_seconds}s (last state: ${last_state:-unknown})"
    fi
    pause "$poll_seconds"
done
