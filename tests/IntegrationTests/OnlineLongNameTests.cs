using Npgsql;
using SafeMigrations.Online;

namespace IntegrationTests;

/// <summary>
/// The online helpers with names at and past PostgreSQL's 63 bytes, in characters of two bytes (so a cut can fall where
/// half a character would be kept): <c>SetNotNullOnline</c>'s constraint is validated, so <c>SET NOT NULL</c> needs no
/// scan under its ACCESS EXCLUSIVE lock, and a run after a failed one completes; <c>CreateIndexConcurrently</c> moves
/// an INVALID index of a 63-byte name out of the way under a leftover name that fits, and builds it again.
/// </summary>
public sealed class OnlineLongNameTests(PostgresServer server)
{
    // CK_ + 25 × 2 bytes + _ + 20 + _NotNull = 82 bytes: PostgreSQL keeps the first 63.
    private static readonly string Table = new('ä', 25);
    private static readonly string Column = "spalte_" + new string('ö', 6) + "_wert";
    private const string ProvenWithoutScan = "are sufficient to prove that it does not contain nulls";

    [Fact]
    public async Task A_long_constraint_name_is_validated_so_SET_NOT_NULL_scans_nothing_and_a_second_run_completes()
    {
        var db = await server.NewEmptyDatabaseAsync();
        await using var test = await Database.OpenAsync(db, "test");
        await Database.ExecuteAsync(test, $"""
            CREATE TABLE "{Table}" (id int PRIMARY KEY, "{Column}" text);
            INSERT INTO "{Table}" SELECT n, CASE WHEN n = 500 THEN NULL ELSE 'v' END FROM generate_series(1, 1000) AS n;
            """);

        // The first run meets a NULL: VALIDATE finds it (a check violation); SET NOT NULL is never reached.
        var failed = await Assert.ThrowsAsync<PostgresException>(() => MigrationOperations.ApplyAsync(db, b => b.SetNotNullOnline(Table, Column)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, failed.SqlState);
        Assert.Equal([false], await Database.QueryAsync<bool>(test, NotNull));

        // Fixed, the next run finds the constraint it left, validates it, and SET NOT NULL proves itself from it.
        await Database.ExecuteAsync(test, $"""UPDATE "{Table}" SET "{Column}" = 'v' WHERE "{Column}" IS NULL""");
        var notices = new List<string>();
        await MigrationOperations.ApplyAsync(new NpgsqlConnectionStringBuilder(db) { Options = "-c client_min_messages=debug1" }.ConnectionString,
            b => b.SetNotNullOnline(Table, Column), (_, e) => notices.Add(e.Notice.MessageText));

        Assert.Contains(notices, n => n.Contains(ProvenWithoutScan, StringComparison.Ordinal));
        Assert.Equal([true], await Database.QueryAsync<bool>(test, NotNull));
        Assert.Equal([0L], await Database.QueryAsync<long>(test, $"""SELECT count(*) FROM pg_constraint WHERE conrelid = '"{Table}"'::regclass AND contype = 'c'"""));

        // And once more: nothing left to do, nothing fails.
        await MigrationOperations.ApplyAsync(db, b => b.SetNotNullOnline(Table, Column));
    }

    [Fact]
    public async Task An_invalid_index_with_a_63_byte_name_is_moved_aside_and_built_again()
    {
        var index = "IX_" + new string('ö', 30); // 63 bytes: "_invalid" fits only if characters give way
        var db = await server.NewEmptyDatabaseAsync();
        await using var test = await Database.OpenAsync(db, "test");
        await Database.ExecuteAsync(test, """CREATE TABLE items (id int, code text); INSERT INTO items VALUES (1, 'a'), (2, 'a');""");
        // A unique build that meets a duplicate fails and leaves its index INVALID, as a killed or timed-out build does.
        await Assert.ThrowsAsync<PostgresException>(() => Database.ExecuteAsync(test, $"""CREATE UNIQUE INDEX CONCURRENTLY "{index}" ON items (code)"""));
        Assert.Equal([false], await Database.QueryAsync<bool>(test, IndexValid(index)));
        await Database.ExecuteAsync(test, "UPDATE items SET code = 'b' WHERE id = 2");

        await MigrationOperations.ApplyAsync(db, b => b.CreateIndexConcurrently(index, "items", ["code"], unique: true));
        await MigrationOperations.ApplyAsync(db, b => b.CreateIndexConcurrently(index, "items", ["code"], unique: true));

        Assert.Equal([true], await Database.QueryAsync<bool>(test, IndexValid(index)));
        Assert.Equal([index], await Database.QueryAsync<string>(test, "SELECT relname::text FROM pg_class WHERE relkind = 'i' AND relname LIKE 'IX_%'"));
    }

    private static string IndexValid(string index) =>
        $"""SELECT indisvalid FROM pg_index WHERE indexrelid = to_regclass('"{index}"')""";

    private static string NotNull =>
        $"""SELECT attnotnull FROM pg_attribute WHERE attrelid = '"{Table}"'::regclass AND attname = '{Column}'""";
}
