using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Schema;

namespace IntegrationTests;

/// <summary>
/// The counts the data-loss reader writes (<see cref="DataLoss.CountSql"/>), run on a real database: each counts what
/// the statement would destroy — through CASCADE's dependencies, partitions, inheritance and foreign keys — and
/// nothing when the objects do not exist.
/// </summary>
public sealed class DownMigrationRiskCountTests(PostgresServer server)
{
    private const string Setup =
        """
        CREATE SCHEMA app;
        CREATE TYPE app.mood AS ENUM ('ok', 'sad');
        CREATE TABLE app.notes (id int);
        INSERT INTO app.notes SELECT generate_series(1, 3);
        CREATE TABLE people (id int PRIMARY KEY, m app.mood, name text);
        INSERT INTO people VALUES (1, 'ok', 'a'), (2, 'sad', NULL), (3, NULL, 'c');
        CREATE TABLE measures (id int) PARTITION BY RANGE (id);
        CREATE TABLE measures_1 PARTITION OF measures FOR VALUES FROM (0) TO (10);
        CREATE TABLE measures_2 PARTITION OF measures FOR VALUES FROM (10) TO (20);
        INSERT INTO measures VALUES (1), (2), (11);
        CREATE TABLE base (id int);
        CREATE TABLE derived () INHERITS (base);
        INSERT INTO base VALUES (1);
        INSERT INTO derived VALUES (2), (3);
        CREATE TABLE visits (person int REFERENCES people, at int);
        INSERT INTO visits VALUES (1, 1), (1, 2), (2, 3), (3, 4);
        CREATE VIEW busy AS SELECT person FROM visits;
        CREATE MATERIALIZED VIEW busy_snapshot AS SELECT * FROM busy;
        """;

    [Theory]
    [InlineData("DROP SCHEMA app CASCADE", 5L)] // app.notes' 3 rows, and people.m's 2 values (its type goes with the schema)
    [InlineData("DROP TYPE app.mood CASCADE", 2L)]
    [InlineData("DROP TABLE measures CASCADE", 3L)] // each partition once
    [InlineData("DROP TABLE measures", 3L)]
    [InlineData("DROP TABLE base CASCADE", 3L)] // the inheriting table with it
    [InlineData("DROP VIEW busy CASCADE", 0L)] // a materialized view's rows are computed, not kept
    [InlineData("DROP TABLE visits CASCADE", 4L)]
    [InlineData("DROP SCHEMA nowhere CASCADE; DROP TABLE IF EXISTS nothing; DROP TYPE IF EXISTS nope CASCADE", 0L)]
    [InlineData("TRUNCATE people CASCADE", 7L)] // and the visits that reference them
    [InlineData("TRUNCATE base", 3L)]
    [InlineData("DELETE FROM people p USING visits v WHERE v.person = p.id AND v.at > 2", 2L)]
    [InlineData("DELETE FROM visits WHERE at IN (SELECT at FROM visits WHERE person = 1)", 2L)]
    [InlineData("UPDATE people SET m = NULL, name = 'x' WHERE id > 1", 2L)]
    [InlineData("UPDATE people SET m = NULL WHERE id > 2", 0L)] // only a NULL there: nothing overwritten
    [InlineData("ALTER TABLE people DROP COLUMN name, ALTER COLUMN m TYPE text", 4L)]
    public async Task Each_count_is_what_the_statement_would_destroy(string sql, long expected)
    {
        var db = await DatabaseWithDataAsync();
        var risks = DownMigrationRisks.Of(new TestMigration(_ => { }, b => b.Sql(sql)));
        Assert.Empty(risks.Unclassified);

        await using var connection = await Database.OpenAsync(db, "count-test");
        var counts = new List<long>();
        foreach (var loss in risks.Losses)
        {
            counts.Add(await CountAsync(connection, loss));
        }

        Assert.Equal(expected, counts.Sum());
    }

    [Fact]
    public async Task EF_Core_seed_data_is_counted_by_its_keys()
    {
        var db = await DatabaseWithDataAsync();
        var risks = DownMigrationRisks.Of(new TestMigration(_ => { }, b =>
        {
            b.DeleteData(table: "people", keyColumn: "id", keyValues: [1, 3, 99]);
            b.UpdateData(table: "visits", keyColumns: ["person", "at"], keyValues: [2, 3], column: "at", value: 5);
        }));

        await using var connection = await Database.OpenAsync(db, "count-test");
        Assert.Equal([2L], await Database.QueryAsync<long>(connection, risks.Losses[0].CountSql!));
        Assert.Equal([1L], await Database.QueryAsync<long>(connection, risks.Losses[1].CountSql!));
    }

    /// <summary>Runs the count as a guard must: a drop of something missing loses nothing.</summary>
    private static async Task<long> CountAsync(NpgsqlConnection connection, DataLoss loss)
    {
        try
        {
            return (await Database.QueryAsync<long>(connection, loss.CountSql!)).Single();
        }
        catch (PostgresException e) when (loss.LosesNothingWhenAbsent && e.SqlState is PostgresErrorCodes.UndefinedTable
                                              or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.InvalidSchemaName or PostgresErrorCodes.UndefinedObject)
        {
            return 0;
        }
    }

    private async Task<string> DatabaseWithDataAsync()
    {
        var db = await server.NewEmptyDatabaseAsync();
        await using var connection = await Database.OpenAsync(db, "count-test-setup");
        await Database.ExecuteAsync(connection, Setup);
        return db;
    }
}
