using System.Text.RegularExpressions;
using Npgsql;

namespace Tests;

/// <summary>
/// The worker's guards on the orders database, run standalone against the started graph: a rollback over data without
/// consent, and a migration blocked by another session's lock. Both leave the schema as it was.
/// </summary>
[Collection(StartedGraphCollection.Name)]
public sealed class WorkerGuardTests(StartedGraph graph)
{
    private const string Blocker = "two-db-lock-blocker";

    [Fact]
    public async Task Down_over_a_column_holding_data_without_consent_exits_2_and_changes_nothing()
    {
        var app = graph.App;
        await using var orders = await app.OpenAsync("ordersdb");
        await orders.ExecuteAsync("""UPDATE "Orders" SET "Note" = 'leave at the door' WHERE "Id" = (SELECT min("Id") FROM "Orders")""");
        try
        {
            var result = await WorkerRun.RunAsync(app, ["--target", "CreateOrders"]);

            Assert.True(result.ExitCode == 2, result.Output);
            Assert.Contains($"Refusing to migrate down: AddOrderNote drops Orders.Note: 1 non-null value. Nothing was changed.", result.Output);
            Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
            Assert.Equal(["leave at the door"], await orders.QueryAsync<string>("""SELECT "Note" FROM "Orders" WHERE "Note" IS NOT NULL"""));
        }
        finally
        {
            await orders.ExecuteAsync("""UPDATE "Orders" SET "Note" = NULL""");
        }
    }

    [Fact]
    public async Task Migration_blocked_past_the_lock_budget_exits_1_naming_the_holder_and_changes_nothing()
    {
        var app = graph.App;
        await using var blocker = await app.OpenAsync("ordersdb", Blocker);
        // A transaction left open on the table the down-migration alters: its ALTER TABLE needs ACCESS EXCLUSIVE.
        await blocker.ExecuteAsync("""BEGIN; SELECT count(*) FROM "Orders" """);

        var result = await WorkerRun.RunAsync(app, ["--target", "CreateOrders"], new Dictionary<string, string>
        {
            ["Migrations__LockTimeout"] = "00:00:01",
            ["Migrations__LockRetries"] = "1",
            ["Migrations__LockRetryDelay"] = "00:00:01",
        });
        await blocker.ExecuteAsync("ROLLBACK");

        Assert.True(result.ExitCode == 1, result.Output);
        // One line: the context, the migration, the budget, and who holds the lock.
        Assert.True(Regex.IsMatch(result.Output,
            @"OrdersDbContext: A lock wait timed out: OrdersDbContext migration \d+_AddOrderNote \(revert\) waited longer than Migrations:LockTimeout \(1 s\) in each of 2 attempt\(s\), " +
            $@"last for a lock held by pid {blocker.ProcessID} \(application '{Blocker}', idle in transaction, transaction open \d+ s\)\.",
            RegexOptions.None), result.Output);
        Assert.DoesNotContain(new NpgsqlConnectionStringBuilder(await app.GetConnectionStringAsync("ordersdb", TestContext.Current.CancellationToken)).Password!, result.Output);
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        Assert.Equal(Migrations.Accounts, await app.AppliedMigrationsAsync("accountsdb"));
    }
}
