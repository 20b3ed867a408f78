using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker.Tests;

/// <summary>The checksum the worker records for each applied migration: stable, and changed by any edit of the Up.</summary>
public sealed class MigrationChecksumTests
{
    [Fact]
    public void Every_migration_has_a_stable_checksum_of_its_own()
    {
        var first = DataMigrations.All().Select(m => MigrationChecksum.Of(m.Migration)).ToList();
        var second = DataMigrations.All().Select(m => MigrationChecksum.Of(m.Migration)).ToList();

        Assert.Equal(first, second);
        Assert.Equal(first.Count, first.Distinct().Count());
        Assert.All(first, c => Assert.Matches("^[0-9a-f]{64}$", c));
    }

    [Fact]
    public void The_migrations_of_release_1_0_0_keep_the_checksums_their_databases_recorded()
    {
        // Recorded by every database release 1.0.0 migrated. A changed value makes the worker refuse those databases
        // (exit 4): an edit of the migration, or of a helper its Up calls (SafeMigrations.Online), changed what it applies.
        // Restore it; if an EF Core or Npgsql upgrade changed it, release notes must name --repair, and the pin follows.
        Dictionary<string, string> released = new()
        {
            ["20261125172855_InitialSchema"] = "928d5e9b78d981882d9e4018d154f2f62421544ec96a33675b479981dc93bef3",
            ["20261125172901_AddDueDate"] = "8c96eb8740de59ebffa20da30b9983e77bbb77504f0b9897ba450f484dc599d1",
            ["20261129094731_AddUpdatedAt"] = "abd242d5d1344635ae0915b882fadbf546409a31f80aac64be139831aeea60f2",
        };

        var current = DataMigrations.All().Where(m => released.ContainsKey(m.Id)).ToDictionary(m => m.Id, m => MigrationChecksum.Of(m.Migration));

        Assert.Equal(released, current);
    }

    [Theory]
    [InlineData("nullable")]
    [InlineData("type")]
    [InlineData("sql")]
    [InlineData("annotation")]
    public void An_edit_of_the_up_changes_the_checksum(string edit)
    {
        var original = new TestMigration(b =>
        {
            b.AddColumn<int>(name: "Priority", table: "Todos", type: "integer", nullable: true);
            b.Sql("UPDATE \"Todos\" SET \"Priority\" = 1;");
            b.CreateIndex(name: "IX_Todos_Priority", table: "Todos", column: "Priority");
        });
        var edited = new TestMigration(b =>
        {
            b.AddColumn<int>(name: "Priority", table: "Todos", type: edit == "type" ? "bigint" : "integer", nullable: edit != "nullable");
            b.Sql(edit == "sql" ? "UPDATE \"Todos\" SET \"Priority\" = 2;" : "UPDATE \"Todos\" SET \"Priority\" = 1;");
            var index = b.CreateIndex(name: "IX_Todos_Priority", table: "Todos", column: "Priority");
            if (edit == "annotation")
            {
                index.Annotation("Npgsql:CreatedConcurrently", true);
            }
        });

        Assert.NotEqual(MigrationChecksum.Of(original), MigrationChecksum.Of(edited));
    }

    [Fact]
    public void The_down_is_not_part_of_it()
    {
        var up = (Action<MigrationBuilder>)(b => b.AddColumn<int>(name: "Priority", table: "Todos", nullable: true));

        var plain = new TestMigration(up);
        var withDown = new TestMigration(up, down: b => b.DropColumn(name: "Priority", table: "Todos"));

        Assert.Equal(MigrationChecksum.Of(plain), MigrationChecksum.Of(withDown));
    }

    [Fact]
    public void Line_ends_of_the_checkout_do_not_count()
    {
        var lf = new TestMigration(b => b.Sql("UPDATE \"Todos\"\nSET \"IsDone\" = true;"));
        var crlf = new TestMigration(b => b.Sql("UPDATE \"Todos\"\r\nSET \"IsDone\" = true;"));

        Assert.Equal(MigrationChecksum.Of(lf), MigrationChecksum.Of(crlf));
    }
}
