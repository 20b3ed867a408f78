# azd postdeploy hook (Windows): checks that the web app's newest revision turned ready, which it does only once its
# init container ran the migrations successfully, and fails `azd up` / `azd deploy` otherwise, saying where the
# migration's output is. It starts and stops nothing. Same steps as verify-webapp-revision.sh; keep the two in step.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$scriptName = 'verify-webapp-revision'
$timeoutSeconds = if ($env:WEBAPP_REVISION_TIMEOUT_SECONDS) { [int]$env:WEBAPP_REVISION_TIMEOUT_SECONDS } else { 1200 }
$pollSeconds = if ($env:WEBAPP_REVISION_POLL_SECONDS) { [int]$env:WEBAPP_REVISION_POLL_SECONDS } else { 10 }
$maxQueryFailures = 6

. (Join-Path $PSScriptRoot 'azure-cli.ps1')
Assert-SignedInAz
$resourceGroup = Find-ResourceGroup

# The web app, by tag rather than by name. The tag is filtered here, not in a JMESPath query: its quoted key does not
# survive az.cmd's quoting on Windows.
$appList = Invoke-Az @('containerapp', 'list', '-g', $resourceGroup, '--query', '[].{name:name,tags:tags}', '-o', 'json')
if ($null -eq $appList) { Stop-Hook "could not list the Container Apps of resource group '$resourceGroup'" }
$apps = @(($appList -join "`n" | ConvertFrom-Json) |
    Where-Object { $_.tags -and $_.tags.PSObject.Properties['aspire-resource-name'] -and
        $_.tags.'aspire-resource-name' -eq 'webapp' } |
    ForEach-Object { $_.name })
switch ($apps.Count) {
    1 { $app = $apps[0] }
    0 { Stop-Hook "no containerapp tagged aspire-resource-name=webapp in resource group '$resourceGroup'" }
    default { Stop-Hook "several containerapps tagged aspire-resource-name=webapp in '$resourceGroup': $($apps -join ' ')" }
}

$latest = Invoke-Az @('containerapp', 'show', '-n', $app, '-g', $resourceGroup, '--query', 'properties.latestRevisionName', '-o', 'tsv')
if (-not $latest) { Stop-Hook "could not read the Container App '$app', or it has no revision" }
$revision = $latest[0]
Write-Host "${scriptName}: waiting up to ${timeoutSeconds}s for revision '$revision' of '$app' to turn ready (its init container migrates first)"

function Write-LogsHint {
    [Console]::Error.WriteLine(@"
${scriptName}: the migration's output is in the init container 'migrations' of revision '$revision':
  az containerapp logs show -n $app -g $resourceGroup --revision $revision --container migrations --tail 100
  or in Log Analytics: ContainerAppConsoleLogs_CL | where RevisionName_s == '$revision' and ContainerName_s == 'migrations'
${scriptName}: the previous revision keeps serving; fix the cause and deploy again.
"@)
}

$clock = [Diagnostics.Stopwatch]::StartNew()
$queryFailures = 0
$lastState = $null
while ($true) {
    $ready = Invoke-Az @('containerapp', 'show', '-n', $app, '-g', $resourceGroup, '--query', 'properties.latestReadyRevisionName', '-o', 'tsv')
    $state = if ($null -ne $ready) {
        Invoke-Az @('containerapp', 'revision', 'show', '-n', $app, '-g', $resourceGroup, '--revision', $revision,
            '--query', '[properties.provisioningState, properties.runningState]', '-o', 'tsv')
    }
    if ($null -ne $ready -and $null -ne $state) {
        $queryFailures = 0
        if ($ready.Count -gt 0 -and $ready[0] -eq $revision) {
            Write-Host "${scriptName}: revision '$revision' is ready: the migrations succeeded and it takes the traffic"
            exit 0
        }

        $provisioning = if ($state.Count -gt 0) { $state[0] } else { 'unknown' }
        $running = if ($state.Count -gt 1) { $state[1] } else { 'unknown' }
        $current = "$provisioning/$running"
        if ($current -ne $lastState) {
            Write-Host "${scriptName}: revision '${revision}': $provisioning, $running"
            $lastState = $current
        }
        if ($provisioning -eq 'Failed' -or $running -in 'Failed', 'Degraded') {
            Write-LogsHint
            Stop-Hook "revision '$revision' did not turn ready ($provisioning, $running)"
        }
    }
    else {
        $queryFailures++
        if ($queryFailures -ge $maxQueryFailures) {
            Stop-Hook "could not read the state of revision '$revision' $maxQueryFailures times in a row"
        }
    }

    if ($clock.Elapsed.TotalSeconds -ge $timeoutSeconds) {
        Write-LogsHint
        $last = if ($lastState) { $lastState } else { 'unknown' }
        Stop-Hook "revision '$revision' did not turn ready within ${timeoutSeconds}s (last state: $last)"
    }
    Start-Sleep -Seconds $pollSeconds
}
