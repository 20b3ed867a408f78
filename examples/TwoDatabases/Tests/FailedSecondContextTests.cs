using Migrator;
using Npgsql;

namespace Tests;

/// <summary>A migration of the second context fails for real: the first stays migrated, the worker exits 1, the API never starts.</summary>
public sealed class FailedSecondContextTests
{
    [Fact]
    public async Task Failed_migration_in_accountsdb_keeps_ordersdb_migrated_exits_1_naming_the_context_and_keeps_the_api_down()
    {
        var builder = await Graph.CreateBuilderAsync();

        // Before the worker runs (it waits for the database's ready event), occupy the name of a table the accounts'
        // first migration creates: its CREATE TABLE then fails, after the orders were migrated and seeded.
        var accountsdb = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "accountsdb");
        builder.Eventing.Subscribe<ResourceReadyEvent>(accountsdb, async (_, cancellationToken) =>
        {
            await using var connection = new NpgsqlConnection(await accountsdb.ConnectionStringExpression.GetValueAsync(cancellationToken));
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("""CREATE TABLE "AspNetRoles" (occupied int)""", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        });

        await using var app = await Graph.StartAsync(builder);

        var worker = await app.WaitForExitAsync("migrations");
        Assert.Equal(KnownResourceStates.Finished, worker.State?.Text);
        Assert.Equal(1, worker.ExitCode);
        using (var deadline = Deadline.Start())
        {
            await app.ResourceNotifications.WaitForResourceAsync("api", KnownResourceStates.FailedToStart, deadline.Token);
        }

        // The first context stays migrated and seeded; nothing of the failed one is recorded.
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        await using var orders = await app.OpenAsync("ordersdb");
        Assert.Equal([OrdersSeeder.Customers.Length], await orders.QueryAsync<long>("""SELECT count(*) FROM "Orders" """));
        Assert.Empty(await app.AppliedMigrationsAsync("accountsdb"));

        // One line naming the context, what failed and what to do.
        var logs = await app.LogsAsync("migrations");
        Assert.Contains("AccountsDbContext: Migration failed: 42P07: relation \"AspNetRoles\" already exists. Migrations that completed " +
            "before it stay applied; the failed one was rolled back. Fix the cause and run again.", logs);
    }
}
