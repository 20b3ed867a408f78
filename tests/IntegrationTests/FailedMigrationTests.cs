using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>A migration that fails for real: the worker exits 1 and the web app never starts.</summary>
public sealed class FailedMigrationTests
{
    [Fact]
    public async Task Failed_migration_exits_1_leaves_nothing_half_applied_and_keeps_the_webapp_down()
    {
        var builder = await TestGraph.CreateBuilderAsync();

        // Before the worker runs (dependents wait for the database's ready event), occupy the name of the index that the
        // second migration creates. Its CREATE INDEX then fails after the column was added and backfilled in the same
        // migration — so a rollback that is anything less than whole would show.
        var appdb = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "appdb");
        builder.Eventing.Subscribe<ResourceReadyEvent>(appdb, async (_, cancellationToken) =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(await appdb.ConnectionStringExpression.GetValueAsync(cancellationToken));
            await connection.OpenAsync(cancellationToken);
            await using var command = new Npgsql.NpgsqlCommand("""CREATE TABLE "IX_Todos_IsDone_DueDate" (occupied int)""", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

        await using var app = await TestGraph.StartAsync(builder);

        var migrations = await app.WaitForExitAsync("migrations");
        Assert.Equal(KnownResourceStates.Finished, migrations.State?.Text);
        Assert.Equal(ExitCodes.MigrationFailed, migrations.ExitCode);

        await app.WaitForStateAsync("webapp", KnownResourceStates.FailedToStart);

        // The first migration stays committed; nothing of the second is left.
        var applied = await Database.AppliedMigrationsAsync(app);
        Assert.Equal([Migrations.Ids[0]], applied);
        await using var connection = await Database.OpenAsync(app);
        var dueDateColumns = await Database.QueryAsync<long>(connection,
            """SELECT count(*) FROM information_schema.columns WHERE table_name = 'Todos' AND column_name = 'DueDate'""");
        Assert.Equal(0, Assert.Single(dueDateColumns));

        // One clear line: what failed, what state it left, what to do.
        var logs = await app.GetLogsAsync("migrations");
        Assert.Contains("Migration failed: 42P07: relation \"IX_Todos_IsDone_DueDate\" already exists. Migrations that completed before it " +
            "stay applied; the failed one was rolled back. Fix the cause and run again.", logs);
    }
}
