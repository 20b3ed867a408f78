# Sourced (not run) by the scripts of this folder: their messages, the Azure CLI against the subscription azd deployed
# to, the resource group found the way azd finds it, and resources found by their aspire-resource-name tag.
# The sourcing script sets script_name first. Needs the Azure CLI, signed in (`az login`) to the same tenant as azd.

fail() {
    echo "$script_name: $*" >&2
    exit 1
}

# Every az call names the subscription azd deployed to, whatever `az account set` says. Nothing is read from stdin,
# so a prompt (to install a CLI extension, say) fails instead of waiting.
az_sub() {
    if [ -n "${AZURE_SUBSCRIPTION_ID:-}" ]; then
        az "$@" --subscription "$AZURE_SUBSCRIPTION_ID" --only-show-errors </dev/null
    else
        az "$@" --only-show-errors </dev/null
    fi
}

line_count() {
    if [ -z "$1" ]; then echo 0; else printf '%s\n' "$1" | wc -l | tr -d ' '; fi
}

require_signed_in_az() {
    command -v az >/dev/null 2>&1 || fail "the Azure CLI (az) is required: https://aka.ms/azure-cli"
    az_sub account show --query id -o tsv >/dev/null 2>&1 \
        || fail "the Azure CLI is not signed in to subscription '${AZURE_SUBSCRIPTION_ID:-<default>}': run 'az login'"
}

# Sets resource_group: AZURE_RESOURCE_GROUP, else the group tagged azd-env-name=<env> (not managed by another
# resource), else rg-<env> (the name azd's main.bicep gives it).
find_resource_group() {
    resource_group=${AZURE_RESOURCE_GROUP:-}
    [ -z "$resource_group" ] || return 0
    [ -n "${AZURE_ENV_NAME:-}" ] || fail "AZURE_ENV_NAME is not set: run this through azd, or export AZURE_RESOURCE_GROUP"
    groups=$(az_sub group list --tag "azd-env-name=$AZURE_ENV_NAME" --query "[?managedBy==null].name" -o tsv) \
        || fail "could not list the resource groups (see the az error above)"
    case $(line_count "$groups") in
        0) resource_group="rg-$AZURE_ENV_NAME" ;;
        1) resource_group=$groups ;;
        *) fail "several resource groups are tagged azd-env-name=$AZURE_ENV_NAME; set AZURE_RESOURCE_GROUP" ;;
    esac
}

# Sets found: the one resource of kind $1 ("containerapp" or "containerapp job") in the resource group whose
# aspire-resource-name tag is $2 (by tag, so a module may name it as it likes).
find_tagged() {
    names=$(az_sub $1 list -g "$resource_group" --query "[?tags.\"aspire-resource-name\"=='$2'].name" -o tsv) \
        || fail "could not list the $1s of resource group '$resource_group' (see the az error above)"
    case $(line_count "$names") in
        1) found=$names ;;
        0) fail "no $1 tagged aspire-resource-name=$2 in resource group '$resource_group'" ;;
        *) fail "several $1s tagged aspire-resource-name=$2 in '$resource_group': $(printf '%s' "$names" | tr '\n' ' ')" ;;
    esac
}

# The polling loops' bookkeeping (the sourcing script sets started_at, query_failures=0 and max_query_failures):
# a query that fails max_query_failures times in a row fails the script; what $1 names is what could not be read.
query_failed() {
    query_failures=$((query_failures + 1))
    [ "$query_failures" -lt "$max_query_failures" ] || fail "could not read $1 $max_query_failures times in a row"
}
# Sets status to the status of execution $2 of job $1 and prints it when it changed (last_status); a query that
# fails counts towards max_query_failures and returns 1.
read_execution_status() {
    if status=$(az_sub containerapp job execution show -n "$1" -g "$resource_group" \
            --job-execution-name "$2" --query properties.status -o tsv); then
        query_failures=0
        if [ "$status" != "$last_status" ]; then
            echo "$script_name: execution status: $status"
            last_status=$status
        fi
        return 0
    fi
    query_failed "the status of execution '$2'"
    return 1
}
# True once $1 seconds have passed since started_at.
waited() {
    [ $(($(date +%s) - started_at)) -ge "$1" ]
}

# Sleeps in the background and waits for it, so that a trapped signal is handled at once, not after the sleep;
# a signal handler calls end_pause, so that no sleep outlives the script.
sleeper=
pause() {
    sleep "$1" &
    sleeper=$!
    wait "$sleeper" || true
    sleeper=
}
end_pause() {
    [ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null || true
}
