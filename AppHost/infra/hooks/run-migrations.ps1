# azd postdeploy hook: runs the migrations Container Apps job once and waits for it.
# Exits non-zero when the job fails, is stopped, or does not finish in time, so `azd deploy` / `azd up` fail too.
# Needs the Azure CLI, signed in (`az login`) to the same tenant as azd. azd passes its environment
# (AZURE_ENV_NAME, AZURE_SUBSCRIPTION_ID, provision outputs) to the hook.
# Same steps as run-migrations.sh; keep the two in step.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$jobTagValue = 'migrations'   # the job's aspire-resource-name tag (migrations-job.bicep)
$timeoutSeconds = if ($env:MIGRATIONS_JOB_TIMEOUT_SECONDS) { [int]$env:MIGRATIONS_JOB_TIMEOUT_SECONDS } else { 2100 }
$pollSeconds = if ($env:MIGRATIONS_JOB_POLL_SECONDS) { [int]$env:MIGRATIONS_JOB_POLL_SECONDS } else { 10 }
$maxQueryFailures = 6

function Stop-Hook([string]$Message) {
    [Console]::Error.WriteLine("run-migrations: $Message")
    exit 1
}

# Runs az against the subscription azd deployed to; returns its non-empty output lines as an array
# (possibly empty), or $null when az fails.
function Invoke-Az([string[]]$Arguments) {
    $all = @($Arguments) + @('--only-show-errors')
    if ($env:AZURE_SUBSCRIPTION_ID) { $all += @('--subscription', $env:AZURE_SUBSCRIPTION_ID) }
    $output = & az @all
    if ($LASTEXITCODE -ne 0) { return $null }
    return , @($output | ForEach-Object { "$_".Trim() } | Where-Object { $_ })
}

if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
    Stop-Hook 'the Azure CLI (az) is required: https://aka.ms/azure-cli'
}
if ($null -eq (Invoke-Az @('account', 'show', '--query', 'id', '-o', 'tsv'))) {
    Stop-Hook "the Azure CLI is not signed in to subscription '$($env:AZURE_SUBSCRIPTION_ID)': run 'az login'"
}

# The resource group, found the way azd finds it: AZURE_RESOURCE_GROUP, else the group tagged
# azd-env-name=<env> (not managed by another resource), else rg-<env> (the name azd's main.bicep gives it).
$resourceGroup = $env:AZURE_RESOURCE_GROUP
if (-not $resourceGroup) {
    if (-not $env:AZURE_ENV_NAME) {
        Stop-Hook 'AZURE_ENV_NAME is not set: run this through azd, or set AZURE_RESOURCE_GROUP'
    }
    $groups = Invoke-Az @('group', 'list', '--tag', "azd-env-name=$($env:AZURE_ENV_NAME)",
        '--query', '[?managedBy==null].name', '-o', 'tsv')
    if ($null -eq $groups) { Stop-Hook 'could not list resource groups' }
    switch ($groups.Count) {
        0 { $resourceGroup = "rg-$($env:AZURE_ENV_NAME)" }
        1 { $resourceGroup = $groups[0] }
        default { Stop-Hook "several resource groups are tagged azd-env-name=$($env:AZURE_ENV_NAME); set AZURE_RESOURCE_GROUP" }
    }
}

# The job, by tag rather than by name, so the module may name it as it likes. The tag is filtered here,
# not in a JMESPath query: its quoted key does not survive az.cmd's quoting on Windows.
$jobList = Invoke-Az @('containerapp', 'job', 'list', '-g', $resourceGroup, '--query', '[].{name:name,tags:tags}', '-o', 'json')
if ($null -eq $jobList) { Stop-Hook "could not list the Container Apps jobs in '$resourceGroup'" }
$jobs = @(($jobList -join "`n" | ConvertFrom-Json) |
    Where-Object { $_.tags -and $_.tags.PSObject.Properties['aspire-resource-name'] -and
        $_.tags.'aspire-resource-name' -eq $jobTagValue } |
    ForEach-Object { $_.name })
switch ($jobs.Count) {
    1 { $job = $jobs[0] }
    0 { Stop-Hook "no Container Apps job tagged aspire-resource-name=$jobTagValue in resource group '$resourceGroup'" }
    default { Stop-Hook "several Container Apps jobs tagged aspire-resource-name=$jobTagValue in '$resourceGroup': $($jobs -join ' ')" }
}

Write-Host "run-migrations: starting job '$job' in resource group '$resourceGroup'"
$started = Invoke-Az @('containerapp', 'job', 'start', '-n', $job, '-g', $resourceGroup, '--query', 'name', '-o', 'tsv')
if (-not $started) { Stop-Hook "'az containerapp job start' failed or returned no execution name" }
$execution = $started[0]
Write-Host "run-migrations: execution '$execution' started; waiting up to ${timeoutSeconds}s"

function Write-LogsHint {
    [Console]::Error.WriteLine(@"
run-migrations: to read the execution's logs:
  az containerapp job logs show -n $job -g $resourceGroup --execution $execution --container migrations
  (a preview command of the containerapp CLI extension), or query Log Analytics:
  ContainerAppConsoleLogs_CL | where ContainerJobName_s == '$job' and ContainerGroupName_s startswith '$execution'
"@)
}

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
            Write-Host "run-migrations: execution status: $current"
            $lastStatus = $current
        }
        switch ($current) {
            'Succeeded' { Write-Host 'run-migrations: migrations succeeded'; exit 0 }
            { $_ -in 'Failed', 'Stopped', 'Degraded' } {
                Write-LogsHint
                Stop-Hook "execution '$execution' ended as $current"
            }
        }
    }
    else {
        $queryFailures++
        if ($queryFailures -ge $maxQueryFailures) {
            Stop-Hook "could not read the status of execution '$execution' $maxQueryFailures times in a row"
        }
    }

    if ($clock.Elapsed.TotalSeconds -ge $timeoutSeconds) {
        Write-LogsHint
        $last = if ($lastStatus) { $lastStatus } else { 'unknown' }
        Stop-Hook "execution '$execution' did not finish within ${timeoutSeconds}s (last status: $last)"
    }
    Start-Sleep -Seconds $pollSeconds
}
