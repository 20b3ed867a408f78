namespace FastTests;

/// <summary>
/// The bootstrap committed next to the deployment scripts (<c>AppHost/infra/scripts/bootstrap.sql</c>) is what the
/// worker prints with <c>--bootstrap-sql</c> for the AppHost's database: one source of truth, so an edit to either
/// without the other fails here. Its behaviour on a real server is tested by IntegrationTests.MigratorLoginTests.
/// </summary>
public sealed class BootstrapSqlTests
{
    [Fact]
    public async Task The_committed_bootstrap_is_what_the_worker_prints_for_appdb()
    {
        var printed = await ChildProcess.RunAsync("dotnet", [BuildOutput.Of("MigrationService"), "--bootstrap-sql"], startInfo =>
        {
            // Only the database's name matters: --bootstrap-sql connects to nothing (the host is never reached).
            startInfo.Environment["ConnectionStrings__appdb"] = "Host=localhost;Database=appdb";
            startInfo.Environment.Remove("ConnectionStrings__appdb-web");
            startInfo.Environment.Remove("ConnectionStrings__appdb_web");
        });

        Assert.True(printed.ExitCode == 0, printed.Output);
        var committed = await File.ReadAllTextAsync(Path.Combine(AzdProjectTests.Scripts, "bootstrap.sql"), TestContext.Current.CancellationToken);
        Assert.Equal(committed, printed.Stdout);
        Assert.Contains("printenv APPDB_MIGRATOR_PASSWORD", committed);
        Assert.Contains("printenv APPDB_WEB_PASSWORD", committed);
    }
}
