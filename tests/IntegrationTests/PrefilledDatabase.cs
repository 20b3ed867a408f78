using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>A database at AddDueDate, before the online migration, with rows in <c>Todos</c> for the migrations after it to work on.</summary>
public static class PrefilledDatabase
{
    /// <summary>The migration that brings <c>UpdatedAt</c>: the online one, which these databases still lack.</summary>
    public const string OnlineMigration = "AddUpdatedAt";

    /// <summary>Creates the database with <paramref name="rows"/> to-dos, each created a second after the one before.</summary>
    public static async Task<string> CreateAsync(PostgresServer server, int rows)
    {
        var db = await server.NewDatabaseAsync();
        var worker = await WorkerProcess.RunAsync(db, "--target", "AddDueDate");
        Assert.True(worker.ExitCode == ExitCodes.Success, worker.Output);
        await using var connection = await Database.OpenAsync(db, "test-setup");
        await Database.ExecuteAsync(connection,
            $"""
            INSERT INTO "Todos" ("Title", "IsDone", "CreatedAt")
            SELECT 'bulk ' || n, n % 5 = 0, timestamptz '2026-01-01 00:00:00+00' + n * interval '1 second'
            FROM generate_series(1, {rows}) AS n
            """);
        await Database.ExecuteAsync(connection, """VACUUM ANALYZE "Todos" """);
        return db;
    }
}
