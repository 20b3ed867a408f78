# azd postprovision hook (Windows): runs the bootstrap (bootstrap.sql, next to this script) as the admin in a one-off
# Container Apps job with psql from a public PostgreSQL image, the passwords as the job's secrets, waits for it and
# deletes it. Same steps, calls and messages as bootstrap-database.sh; keep the two in step. See docs/deploy.md.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$scriptName = 'bootstrap-database'
$timeoutSeconds = if ($env:BOOTSTRAP_JOB_TIMEOUT_SECONDS) { [int]$env:BOOTSTRAP_JOB_TIMEOUT_SECONDS } else { 900 }
$pollSeconds = if ($env:BOOTSTRAP_JOB_POLL_SECONDS) { [int]$env:BOOTSTRAP_JOB_POLL_SECONDS } else { 5 }
$maxQueryFailures = 6
$image = if ($env:BOOTSTRAP_IMAGE) { $env:BOOTSTRAP_IMAGE } else { 'docker.io/library/postgres:17-alpine' }
# The web app's module's webConnectionLimit (2 x maxReplicas x databaseMaxPoolSize); a fast test keeps the .sh equal to it.
$webConnectionLimit = 20

. (Join-Path $PSScriptRoot 'azure-cli.ps1')

# A generated parameter of the AppHost from azd's environment (azd prints it as a JSON string).
function Get-Parameter([string]$Name) {
    $output = & azd env config get "infra.parameters.$Name" 2>$null
    if ($LASTEXITCODE -ne 0 -or -not $output) {
        Stop-Hook "could not read the parameter '$Name' from azd's environment (azd env config get infra.parameters.$Name): provision first, with azd 1.23 or later"
    }
    $text = ($output -join "`n").Trim()
    if ($text.StartsWith('"')) { return [string]($text | ConvertFrom-Json) }
    return $text
}

# A YAML double-quoted scalar (JSON's string syntax, which YAML reads as it stands).
function ConvertTo-YamlString([string]$Value) { return ConvertTo-Json -InputObject $Value -Compress }

# Only a deployment with Azure Database for PostgreSQL has a server before its first deployment (its module's hostName
# output): the opt-in container server and an External one have no bootstrap, and their init container keeps the admin's login.
if (-not $env:POSTGRES_HOSTNAME) {
    Write-Host "${scriptName}: no Azure Database for PostgreSQL server in this deployment (POSTGRES_HOSTNAME is not set): nothing to bootstrap"
    exit 0
}
if (-not $env:AZURE_CONTAINER_APPS_ENVIRONMENT_ID) { Stop-Hook "AZURE_CONTAINER_APPS_ENVIRONMENT_ID is not set: run this through azd, after 'azd provision'" }
if (-not $env:AZURE_LOCATION) { Stop-Hook 'AZURE_LOCATION is not set: run this through azd' }
if (-not (Get-Command azd -ErrorAction SilentlyContinue)) { Stop-Hook 'azd is required: it keeps the generated passwords' }
Assert-SignedInAz
$resourceGroup = Find-ResourceGroup

$admin = Get-Parameter 'postgres_admin'
$adminPassword = Get-Parameter 'postgres_password'
$webPassword = Get-Parameter 'appdb_web_password'
$migratorPassword = Get-Parameter 'appdb_migrator_password'

$sql = (Get-Content -Raw -Path (Join-Path $PSScriptRoot 'bootstrap.sql')) -replace "`r`n", "`n"
$sqlLines = ($sql.TrimEnd("`n") -split "`n" | ForEach-Object { if ($_) { "              $_" } else { '' } }) -join "`n"
$definition = @"
location: $(ConvertTo-YamlString $env:AZURE_LOCATION)
properties:
  environmentId: $(ConvertTo-YamlString $env:AZURE_CONTAINER_APPS_ENVIRONMENT_ID)
  configuration:
    triggerType: Manual
    replicaTimeout: 600
    replicaRetryLimit: 0
    manualTriggerConfig:
      parallelism: 1
      replicaCompletionCount: 1
    secrets:
      - name: admin-password
        value: $(ConvertTo-YamlString $adminPassword)
      - name: web-password
        value: $(ConvertTo-YamlString $webPassword)
      - name: migrator-password
        value: $(ConvertTo-YamlString $migratorPassword)
  template:
    containers:
      - name: bootstrap
        image: $(ConvertTo-YamlString $image)
        command: ["sh", "-c", "printenv BOOTSTRAP_SQL | psql -X -f -"]
        env:
          - name: PGHOST
            value: $(ConvertTo-YamlString $env:POSTGRES_HOSTNAME)
          - name: PGPORT
            value: "5432"
          - name: PGDATABASE
            value: postgres
          - name: PGUSER
            value: $(ConvertTo-YamlString $admin)
          - name: PGPASSWORD
            secretRef: admin-password
          - name: PGSSLMODE
            value: verify-full
          - name: PGSSLROOTCERT
            value: system
          - name: PGCONNECT_TIMEOUT
            value: "30"
          - name: APPDB_WEB_PASSWORD
            secretRef: web-password
          - name: APPDB_MIGRATOR_PASSWORD
            secretRef: migrator-password
          - name: APPDB_WEB_CONNECTION_LIMIT
            value: "$webConnectionLimit"
          - name: BOOTSTRAP_SQL
            value: |
$sqlLines
        resources:
          cpu: 0.25
          memory: 0.5Gi
"@

# The job's definition holds the passwords: a file of the user's own temporary folder, removed as soon as the job exists.
$job = "appdb-bootstrap-$([DateTimeOffset]::UtcNow.ToUnixTimeSeconds())"
$file = Join-Path ([IO.Path]::GetTempPath()) "$job-$([Guid]::NewGuid().ToString('N')).yaml"
$created = $false
$execution = $null
try {
    if (-not $IsWindows) { New-Item -ItemType File -Path $file | Out-Null; & chmod 600 $file }
    [IO.File]::WriteAllText($file, $definition + "`n")
    Write-Host "${scriptName}: creating job '$job' in resource group '$resourceGroup' to run the bootstrap of database appdb on '$($env:POSTGRES_HOSTNAME)' with $image"
    if ($null -eq (Invoke-Az @('containerapp', 'job', 'create', '-n', $job, '-g', $resourceGroup, '--yaml', $file, '-o', 'none'))) {
        Stop-Hook "could not create job '$job' (see the az error above)"
    }
    $created = $true
    Remove-Item -Force $file
    $started = Invoke-Az @('containerapp', 'job', 'start', '-n', $job, '-g', $resourceGroup, '--query', 'name', '-o', 'tsv')
    if ($null -eq $started) { Stop-Hook "could not start job '$job' (see the az error above)" }
    if ($started.Count -eq 0) { Stop-Hook "'az containerapp job start' returned no execution name" }
    $execution = $started[0]
    Write-Host "${scriptName}: execution '$execution' started; waiting up to ${timeoutSeconds}s"

    $clock = [Diagnostics.Stopwatch]::StartNew()
    $queryFailures = 0
    $lastStatus = $null
    while ($true) {
        $status = Invoke-Az @('containerapp', 'job', 'execution', 'show', '-n', $job, '-g', $resourceGroup,
            '--job-execution-name', $execution, '--query', 'properties.status', '-o', 'tsv')
        if ($null -ne $status) {
            $queryFailures = 0
            $current = if ($status.Count -gt 0) { $status[0] } else { '' }
            if ($current -ne $lastStatus) {
                Write-Host "${scriptName}: execution status: $current"
                $lastStatus = $current
            }
            if ($current -eq 'Succeeded') {
                Write-Host "${scriptName}: the roles and grants of database appdb are set up"
                break
            }
            if ($current -in 'Failed', 'Stopped', 'Degraded') {
                $logs = Invoke-Az @('containerapp', 'job', 'logs', 'show', '-n', $job, '-g', $resourceGroup, '--execution', $execution,
                    '--container', 'bootstrap', '--format', 'text', '--tail', '100')
                if ($logs) { [Console]::Error.WriteLine(($logs -join "`n")) }
                Stop-Hook "execution '$execution' of the bootstrap ended as ${current}: nothing is deployed until it succeeds; run 'azd provision' again once the cause is fixed"
            }
        }
        else {
            $queryFailures++
            if ($queryFailures -ge $maxQueryFailures) {
                Stop-Hook "could not read the status of execution '$execution' $maxQueryFailures times in a row"
            }
        }

        if ($clock.Elapsed.TotalSeconds -ge $timeoutSeconds) {
            Invoke-Az @('containerapp', 'job', 'stop', '-n', $job, '-g', $resourceGroup, '--job-execution-name', $execution, '-o', 'none') | Out-Null
            $last = if ($lastStatus) { $lastStatus } else { 'unknown' }
            Stop-Hook "execution '$execution' of the bootstrap did not finish within ${timeoutSeconds}s (last status: $last)"
        }
        Start-Sleep -Seconds $pollSeconds
    }
}
finally {
    # Also on Ctrl+C and on exit: no definition left behind, no job left running.
    if (Test-Path $file) { Remove-Item -Force $file }
    if ($created) {
        if ($null -ne (Invoke-Az @('containerapp', 'job', 'delete', '-n', $job, '-g', $resourceGroup, '--yes', '-o', 'none'))) {
            Write-Host "${scriptName}: job '$job' deleted"
        }
        else {
            [Console]::Error.WriteLine("${scriptName}: could not delete job '$job': az containerapp job delete -n $job -g $resourceGroup --yes")
        }
    }
}
exit 0
