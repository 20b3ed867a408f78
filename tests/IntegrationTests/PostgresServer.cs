using Npgsql;

[assembly: AssemblyFixture(typeof(IntegrationTests.PostgresServer))]

namespace IntegrationTests;

/// <summary>
/// The AppHost's PostgreSQL server alone (the worker and web app removed from the graph), shared by the tests that run
/// the worker standalone. Each such test takes a database of its own, so they stay independent.
/// </summary>
public sealed class PostgresServer : LazyFixture<PostgresServer.Started>
{
    /// <summary>A connection string to a database that does not exist yet; the worker creates it.</summary>
    public async Task<string> NewDatabaseAsync() =>
        new NpgsqlConnectionStringBuilder((await GetAsync()).AppdbConnectionString) { Database = $"worker_{Guid.NewGuid():N}" }.ConnectionString;

    /// <summary>A connection string to a new, empty database, for tests that need no migration.</summary>
    public async Task<string> NewEmptyDatabaseAsync()
    {
        var db = await NewDatabaseAsync();
        // Npgsql directly: this file is shared with test projects that do not have the Database helper.
        await using var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db) { Database = "postgres" }.ConnectionString);
        await maintenance.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {SafeMigrations.PostgresIdentifier.Quote(new NpgsqlConnectionStringBuilder(db).Database!)}", maintenance);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return db;
    }

    protected override async Task<Started> StartAsync()
    {
        var builder = await TestGraph.CreateBuilderAsync();
        foreach (var service in builder.Resources.Where(r => r.Name is "migrations" or "webapp").ToList())
        {
            builder.Resources.Remove(service);
        }

        // Six test classes at a time share this server (xunit.runner.json), each with workers, sessions holding locks
        // and statement loops: PostgreSQL's default of 100 connections ran out with four ("53300: too many clients").
        var server = (IResourceWithArgs)builder.Resources.Single(r => r.Name == "postgres");
        builder.CreateResourceBuilder(server).WithArgs("-c", "max_connections=400");

        var app = await TestGraph.StartAsync(builder);
        await app.WaitForHealthyAsync("appdb");
        return new Started(app, (await app.GetConnectionStringAsync("appdb", TestContext.Current.CancellationToken))!);
    }

    protected override ValueTask StopAsync(Started started) => started.App.DisposeAsync();

    /// <summary>The running server's graph and its <c>appdb</c> connection string.</summary>
    public sealed record Started(DistributedApplication App, string AppdbConnectionString);
}
