using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// The worker's settings as it binds them when nothing overrides them (every other test sets its own): what a deployment
/// gets by default. No database involved.
/// </summary>
public sealed class WorkerDefaultsTests
{
    [Fact]
    public void A_DDL_statement_waits_at_most_5_seconds_for_a_lock_by_default()
    {
        // The worker's configuration as its host reads it: its appsettings.json, from the folder it runs from.
        var host = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = Path.GetDirectoryName(BuildOutput.Of("MigrationService")),
            EnvironmentName = Environments.Production,
        });

        var (options, problem) = MigrationOptions.Bind(host.Configuration);

        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromSeconds(5), options!.LockTimeout);
    }

    [Fact]
    public void A_worker_with_no_settings_of_its_own_also_waits_at_most_5_seconds_for_a_lock()
    {
        var (options, problem) = MigrationOptions.Bind(new ConfigurationManager());

        Assert.Null(problem);
        Assert.Equal(TimeSpan.FromSeconds(5), options!.LockTimeout);
    }
}
