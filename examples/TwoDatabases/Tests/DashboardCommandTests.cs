using System.Net;

namespace Tests;

/// <summary>
/// The migration commands of the <c>migrations</c> resource, executed as the dashboard and the Aspire CLI execute them,
/// per context. The test leaves both databases at their latest migration.
/// </summary>
[Collection(StartedGraphCollection.Name)]
public sealed class DashboardCommandTests(StartedGraph graph)
{
    [Fact]
    public async Task Status_lists_both_contexts_and_migrate_to_moves_only_the_context_named()
    {
        var app = graph.App;

        var status = await ExecuteAsync(app, "status");
        Assert.True(status.Success, status.Message);
        Assert.Equal(Listing("OrdersDbContext", Migrations.Orders) + Listing("AccountsDbContext", Migrations.Accounts), status.Data?.Value);

        // 0 is a target of both: refused, naming both, and nothing moves.
        var ambiguous = await ExecuteAsync(app, "migrate-to", target: "0");
        Assert.False(ambiguous.Success);
        Assert.Equal("Ambiguous target migration '0': OrdersDbContext and AccountsDbContext each have it; name one with --context <name>. " +
            $"Valid targets — OrdersDbContext: 0 (revert all), {string.Join(", ", Migrations.Orders)}; " +
            $"AccountsDbContext: 0 (revert all), {string.Join(", ", Migrations.Accounts)}.", ambiguous.Message);
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        Assert.Equal(Migrations.Accounts, await app.AppliedMigrationsAsync("accountsdb"));

        // With the context: only that one is reverted (consent given: the users table may hold rows).
        var reverted = await ExecuteAsync(app, "migrate-to", target: "0", context: "AccountsDbContext", allowDataLoss: true);
        Assert.True(reverted.Success, reverted.Message);
        Assert.Empty(await app.AppliedMigrationsAsync("accountsdb"));
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        var listed = await ExecuteAsync(app, "status");
        Assert.Equal(Listing("OrdersDbContext", Migrations.Orders) + Listing("AccountsDbContext", [], pending: Migrations.Accounts), listed.Data?.Value);
        // The API's readiness covers both contexts: the accounts' missing migrations take it out.
        await WaitForHealthAsync(app, HttpStatusCode.ServiceUnavailable);

        var latest = await ExecuteAsync(app, "migrate");
        Assert.True(latest.Success, latest.Message);
        Assert.Equal(Migrations.Accounts, await app.AppliedMigrationsAsync("accountsdb"));
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        await WaitForHealthAsync(app, HttpStatusCode.OK);
    }

    /// <summary>Polls the API's <c>/health</c> until it answers <paramref name="expected"/>; the deadline fails a wait that never ends.</summary>
    private static async Task WaitForHealthAsync(DistributedApplication app, HttpStatusCode expected)
    {
        // No resilience handler: its retries would hide the 503 looked for.
        using var http = new HttpClient { BaseAddress = app.GetEndpoint("api", "http") };
        using var deadline = Deadline.Start();
        while ((await http.GetAsync("/health", deadline.Token)).StatusCode != expected)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
        }
    }

    private static string Listing(string context, IReadOnlyList<string> applied, IReadOnlyList<string>? pending = null) =>
        $"{context}: {applied.Count} applied, {pending?.Count ?? 0} pending\n" +
        string.Concat(applied.Select(id => $"  [applied] {id}\n")) +
        string.Concat((pending ?? []).Select(id => $"  [pending] {id}\n"));

    private static async Task<ExecuteCommandResult> ExecuteAsync(DistributedApplication app, string command, string? target = null,
        string? context = null, bool allowDataLoss = false)
    {
        using var deadline = Deadline.Start();
        InteractionInputCollection arguments = new([
            .. target is null ? [] : new[] { new InteractionInput { Name = "target", InputType = InputType.Text, Value = target } },
            .. context is null ? [] : new[] { new InteractionInput { Name = "context", InputType = InputType.Text, Value = context } },
            new InteractionInput { Name = "allowDataLoss", InputType = InputType.Boolean, Value = allowDataLoss ? "true" : "false" },
        ]);
        return await app.ResourceCommands.ExecuteCommandAsync("migrations", command, arguments, deadline.Token);
    }
}
