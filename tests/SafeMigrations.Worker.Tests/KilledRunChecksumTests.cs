using IntegrationTests;
using TestWorker;
using TestWorker.Migrations;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// A run killed right after a migration committed (tests/TestWorker kills itself there) leaves that migration with its
/// checksum, written in the migration's own transaction: an edit made afterwards is refused by the next run like any
/// other, and nothing is left for the next run to adopt. Both with the migration's transaction and without one.
/// </summary>
public sealed class KilledRunChecksumTests(PostgresServer server)
{
    private const string Initial = "20260101000000_Initial";
    private static readonly string[] Catalog = [Initial, "20260102000000_AddPrice"];

    // What .NET reports for a process ended by SIGKILL: 128 + 9.
    private const int KilledExitCode = 137;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_migration_edited_after_a_run_was_killed_right_after_it_committed_is_refused_with_exit_4(bool withoutTransaction)
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        await KillAfterFirstMigrationAsync(catalog, orders, withoutTransaction);

        var edited = await TestWorkerProcess.RunAsync(catalog, orders, Settings(withoutTransaction, (CatalogInitial.EditedSetting, "true")));

        Assert.Equal(ExitCodes.HistoryCheckFailed, edited.ExitCode);
        Assert.Equal(
            [$"CatalogContext: {Initial} changed after it was applied (the checksum recorded then differs). Restore it and put the " +
             "change in a new migration; or, if the change is harmless (an EF Core or Npgsql upgrade can also cause this), run once " +
             "with --repair to accept it. Nothing was migrated."],
            TestWorkerProcess.Logged(edited, "Error"));
        Assert.Equal([Initial], await TestWorkerProcess.HistoryAsync(catalog));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task After_a_run_was_killed_right_after_a_migration_committed_the_next_run_finds_its_checksum_and_completes(bool withoutTransaction)
    {
        var (catalog, orders) = (await server.NewDatabaseAsync(), await server.NewDatabaseAsync());
        await KillAfterFirstMigrationAsync(catalog, orders, withoutTransaction);

        var next = await TestWorkerProcess.RunAsync(catalog, orders, Settings(withoutTransaction));

        Assert.True(next.ExitCode == ExitCodes.Success, next.Output);
        Assert.DoesNotContain(TestWorkerProcess.Logged(next, "Information"), m => m.Contains("that had none", StringComparison.Ordinal));
        Assert.Equal(Catalog, await TestWorkerProcess.HistoryAsync(catalog));
        Assert.Equal(Catalog, await TestWorkerProcess.QueryAsync<string>(catalog, """SELECT "MigrationId" FROM "__EFMigrationsChecksums" ORDER BY 1"""));
    }

    /// <summary>A run of the catalog killed right after its first migration committed: that one applied, the next not.</summary>
    private static async Task KillAfterFirstMigrationAsync(string catalog, string orders, bool withoutTransaction)
    {
        var killed = await TestWorkerProcess.RunAsync(catalog, orders, Settings(withoutTransaction, (KillAfterMigrations.Setting, "1")));

        Assert.True(killed.ExitCode == KilledExitCode, killed.Output);
        Assert.Equal([Initial], await TestWorkerProcess.HistoryAsync(catalog));
    }

    private static Dictionary<string, string> Settings(bool withoutTransaction, params (string Key, string Value)[] more)
    {
        var settings = more.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        settings[CatalogInitial.WithoutTransactionSetting.Replace(":", "__", StringComparison.Ordinal)] = withoutTransaction ? "true" : "false";
        return settings;
    }
}
