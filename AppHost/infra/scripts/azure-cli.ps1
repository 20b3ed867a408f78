# Dot-sourced (not run) by the PowerShell scripts of this folder, as azure-cli.sh is by the shell ones: their messages,
# the Azure CLI against the subscription azd deployed to, and the resource group found the way azd finds it.
# The dot-sourcing script sets $scriptName first. Needs the Azure CLI, signed in (`az login`) to the same tenant as azd.

function Stop-Hook([string]$Message) {
    [Console]::Error.WriteLine("${scriptName}: $Message")
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

function Assert-SignedInAz {
    if (-not (Get-Command az -ErrorAction SilentlyContinue)) {
        Stop-Hook 'the Azure CLI (az) is required: https://aka.ms/azure-cli'
    }
    if ($null -eq (Invoke-Az @('account', 'show', '--query', 'id', '-o', 'tsv'))) {
        Stop-Hook "the Azure CLI is not signed in to subscription '$($env:AZURE_SUBSCRIPTION_ID)': run 'az login'"
    }
}

# The resource group: AZURE_RESOURCE_GROUP, else the group tagged azd-env-name=<env> (not managed by another
# resource), else rg-<env> (the name azd's main.bicep gives it).
function Find-ResourceGroup {
    if ($env:AZURE_RESOURCE_GROUP) { return $env:AZURE_RESOURCE_GROUP }
    if (-not $env:AZURE_ENV_NAME) {
        Stop-Hook 'AZURE_ENV_NAME is not set: run this through azd, or set AZURE_RESOURCE_GROUP'
    }
    $groups = Invoke-Az @('group', 'list', '--tag', "azd-env-name=$($env:AZURE_ENV_NAME)",
        '--query', '[?managedBy==null].name', '-o', 'tsv')
    if ($null -eq $groups) { Stop-Hook 'could not list the resource groups' }
    switch ($groups.Count) {
        0 { return "rg-$($env:AZURE_ENV_NAME)" }
        1 { return $groups[0] }
        default { Stop-Hook "several resource groups are tagged azd-env-name=$($env:AZURE_ENV_NAME); set AZURE_RESOURCE_GROUP" }
    }
}
