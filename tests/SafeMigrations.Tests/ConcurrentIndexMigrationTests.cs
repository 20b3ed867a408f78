using SafeMigrations.Online;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace SafeMigrations.Tests;

/// <summary>
/// The statements the concurrent-index helpers write: each outside the migration's transaction (where PostgreSQL
/// refuses CONCURRENTLY), the lock timeout lifted around the waits and put back after. What they do on a server is
/// checked by the integration tests of the migrations that use them.
/// </summary>
public sealed class ConcurrentIndexMigrationTests
{
    [Fact]
    public void DropIndexConcurrently_drops_only_if_it_exists_outside_the_transaction_with_the_lock_timeout_lifted_then_restored()
    {
        var builder = new MigrationBuilder(TestMigration.Provider);

        builder.DropIndexConcurrently("IX_Todos_IsDone_DueDate");

        var statements = builder.Operations.Select(Assert.IsType<SqlOperation>).ToList();
        Assert.All(statements, s => Assert.True(s.SuppressTransaction, s.Sql));
        Assert.Equal(3, statements.Count);
        Assert.Contains("set_config('lock_timeout', '0', false)", statements[0].Sql);
        Assert.Equal("""DROP INDEX CONCURRENTLY IF EXISTS "IX_Todos_IsDone_DueDate";""", statements[1].Sql);
        Assert.Contains("set_config('lock_timeout', current_setting(", statements[2].Sql);
    }

    [Fact]
    public void The_leftover_of_a_long_index_name_is_cut_to_fit_PostgreSQL_63_bytes_with_its_suffix()
    {
        var name = "IX_" + new string('ö', 30); // 63 bytes: a leftover of it must give up characters for its suffix
        var builder = new MigrationBuilder(TestMigration.Provider);

        builder.CreateIndexConcurrently(name, "Todos", ["A"]);

        var leftover = "IX_" + new string('ö', 26) + "_invalid"; // 3 + 52 + 8 = 63 bytes
        Assert.Equal(63, System.Text.Encoding.UTF8.GetByteCount(leftover));
        Assert.Contains($"RENAME TO \"{leftover}\";", builder.Operations.OfType<SqlOperation>().First().Sql);
        Assert.Contains(builder.Operations.OfType<SqlOperation>(), o => o.Sql == $"DROP INDEX CONCURRENTLY IF EXISTS \"{leftover}\";");
        Assert.Throws<ArgumentException>(() => builder.CreateIndexConcurrently(name + "x", "Todos", ["A"]));
    }
}
