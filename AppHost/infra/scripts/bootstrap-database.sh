#!/bin/sh
# azd postprovision hook: runs the bootstrap (bootstrap.sql, next to this script: what only the admin may do — the
# database, its owner, web and migrator roles, their passwords, the web role's connection limit, the grants) once per
# provision, before any deployment, so that the web app's init container migrates with the migrator login and no
# internet-facing app holds the admin's credential. No image of this solution exists yet on a first `azd up`, so psql
# runs from a public PostgreSQL image, as a one-off Container Apps job in azd's environment (it reaches the server as
# the apps do); the passwords are the job's secrets, read by psql from its environment, never on a command line. Waits
# for the job, prints its output when it failed, and deletes it. See docs/deploy.md.
set -eu
script_name=bootstrap-database
. "$(dirname "$0")/azure-cli.sh"

timeout_seconds=${BOOTSTRAP_JOB_TIMEOUT_SECONDS:-900}   # the job's replicaTimeout (600 s) plus a margin
poll_seconds=${BOOTSTRAP_JOB_POLL_SECONDS:-5}
max_query_failures=6
# psql 17 from Docker Hub's official image; Alpine's, because its base carries the CA bundle verify-full checks against.
image=${BOOTSTRAP_IMAGE:-docker.io/library/postgres:17-alpine}
# The web role's CONNECTION LIMIT: the web app's module's webConnectionLimit (2 × maxReplicas × databaseMaxPoolSize,
# both revisions' full pools), which a fast test keeps equal.
web_connection_limit=20

# Only a deployment with Azure Database for PostgreSQL has a server before its first deployment (its module's hostName
# output): the opt-in container server and an External one have no bootstrap, and their init container keeps the admin's login.
if [ -z "${POSTGRES_HOSTNAME:-}" ]; then
    echo "$script_name: no Azure Database for PostgreSQL server in this deployment (POSTGRES_HOSTNAME is not set): nothing to bootstrap"
    exit 0
fi
[ -n "${AZURE_CONTAINER_APPS_ENVIRONMENT_ID:-}" ] || fail "AZURE_CONTAINER_APPS_ENVIRONMENT_ID is not set: run this through azd, after 'azd provision'"
[ -n "${AZURE_LOCATION:-}" ] || fail "AZURE_LOCATION is not set: run this through azd"
command -v azd >/dev/null 2>&1 || fail "azd is required: it keeps the generated passwords"

# A generated parameter of the AppHost, from azd's environment (the secret ones are not in a hook's environment), as a
# YAML string: azd prints it as a JSON string, which is a YAML double-quoted scalar as it stands. Only the shell's
# builtins see the value.
parameter() {
    value=$(azd env config get "infra.parameters.$1" </dev/null 2>/dev/null) && [ -n "$value" ] \
        || fail "could not read the parameter '$1' from azd's environment (azd env config get infra.parameters.$1): provision first, with azd 1.23 or later"
    case $value in
        \"*\") printf '%s' "$value" ;;
        *) printf '"%s"' "$(printf '%s' "$value" | sed 's/\\/\\\\/g; s/"/\\"/g')" ;;
    esac
}

require_signed_in_az
find_resource_group
admin=$(parameter postgres_admin)
admin_password=$(parameter postgres_password)
web_password=$(parameter appdb_web_password)
migrator_password=$(parameter appdb_migrator_password)

# The job's definition holds the passwords: a file only this user may read, removed on exit.
umask 077
workdir=$(mktemp -d)
job="appdb-bootstrap-$(date +%s)"
created=
execution=
delete_job() {
    if az_sub containerapp job delete -n "$job" -g "$resource_group" --yes -o none; then
        echo "$script_name: job '$job' deleted"
    else
        echo "$script_name: could not delete job '$job': az containerapp job delete -n $job -g $resource_group --yes" >&2
    fi
}
finish() {
    status=$?
    rm -rf "$workdir"
    [ -z "$created" ] || delete_job
    exit "$status"
}
trap finish EXIT
interrupted() {
    end_pause
    echo "$script_name: interrupted" >&2
    if [ -n "$execution" ]; then
        az_sub containerapp job stop -n "$job" -g "$resource_group" --job-execution-name "$execution" -o none || true
    fi
    exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM

{
    echo "location: \"$AZURE_LOCATION\""
    echo "properties:"
    echo "  environmentId: \"$AZURE_CONTAINER_APPS_ENVIRONMENT_ID\""
    echo "  configuration:"
    echo "    triggerType: Manual"
    echo "    replicaTimeout: 600"
    echo "    replicaRetryLimit: 0"
    echo "    manualTriggerConfig:"
    echo "      parallelism: 1"
    echo "      replicaCompletionCount: 1"
    echo "    secrets:"
    echo "      - name: admin-password"
    printf '        value: %s\n' "$admin_password"
    echo "      - name: web-password"
    printf '        value: %s\n' "$web_password"
    echo "      - name: migrator-password"
    printf '        value: %s\n' "$migrator_password"
    echo "  template:"
    echo "    containers:"
    echo "      - name: bootstrap"
    echo "        image: \"$image\""
    echo "        command: [\"sh\", \"-c\", \"printenv BOOTSTRAP_SQL | psql -X -f -\"]"
    echo "        env:"
    echo "          - name: PGHOST"
    echo "            value: \"$POSTGRES_HOSTNAME\""
    echo "          - name: PGPORT"
    echo "            value: \"5432\""
    echo "          - name: PGDATABASE"
    echo "            value: postgres"
    echo "          - name: PGUSER"
    printf '            value: %s\n' "$admin"
    echo "          - name: PGPASSWORD"
    echo "            secretRef: admin-password"
    echo "          - name: PGSSLMODE"
    echo "            value: verify-full"
    echo "          - name: PGSSLROOTCERT"
    echo "            value: system"
    echo "          - name: PGCONNECT_TIMEOUT"
    echo "            value: \"30\""
    echo "          - name: APPDB_WEB_PASSWORD"
    echo "            secretRef: web-password"
    echo "          - name: APPDB_MIGRATOR_PASSWORD"
    echo "            secretRef: migrator-password"
    echo "          - name: APPDB_WEB_CONNECTION_LIMIT"
    echo "            value: \"$web_connection_limit\""
    echo "          - name: BOOTSTRAP_SQL"
    echo "            value: |"
    sed 's/^/              /' "$(dirname "$0")/bootstrap.sql"
    echo "        resources:"
    echo "          cpu: 0.25"
    echo "          memory: 0.5Gi"
} >"$workdir/job.yaml"

echo "$script_name: creating job '$job' in resource group '$resource_group' to run the bootstrap of database appdb on '$POSTGRES_HOSTNAME' with $image"
az_sub containerapp job create -n "$job" -g "$resource_group" --yaml "$workdir/job.yaml" -o none \
    || fail "could not create job '$job' (see the az error above)"
created=yes
rm -f "$workdir/job.yaml"
execution=$(az_sub containerapp job start -n "$job" -g "$resource_group" --query name -o tsv) \
    || fail "could not start job '$job' (see the az error above)"
[ -n "$execution" ] || fail "'az containerapp job start' returned no execution name"
echo "$script_name: execution '$execution' started; waiting up to ${timeout_seconds}s"

started_at=$(date +%s)
query_failures=0
last_status=
while :; do
    if read_execution_status "$job" "$execution"; then
        case $status in
            Succeeded)
                echo "$script_name: the roles and grants of database appdb are set up"
                exit 0 ;;
            Failed | Stopped | Degraded)
                az_sub containerapp job logs show -n "$job" -g "$resource_group" --execution "$execution" --container bootstrap \
                    --format text --tail 100 >&2 2>/dev/null || true
                fail "execution '$execution' of the bootstrap ended as $status: nothing is deployed until it succeeds; run 'azd provision' again once the cause is fixed" ;;
        esac
    fi

    if waited "$timeout_seconds"; then
        az_sub containerapp job stop -n "$job" -g "$resource_group" --job-execution-name "$execution" -o none || true
        fail "execution '$execution' of the bootstrap did not finish within ${timeout_seconds}s (last status: ${last_status:-unknown})"
    fi
    pause "$poll_seconds"
done
