using Data;
using Microsoft.EntityFrameworkCore;

namespace FastTests;

/// <summary>The model and the last migration's snapshot agree: no change to the entities is left without a migration.</summary>
public sealed class ModelSnapshotTests
{
    [Fact]
    public void Model_has_no_changes_missing_a_migration()
    {
        // The design-time factory builds the context without connecting; the comparison needs no database.
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);

        Assert.False(context.Database.HasPendingModelChanges(),
            "The model differs from the migrations' snapshot: run 'dotnet ef migrations add <Name> --project Data --output-dir Migrations'.");
    }

    [Fact]
    public void Migrations_are_the_initial_schema_the_due_date_updated_at_then_the_list_index()
    {
        using var context = new DesignTimeDbContextFactory().CreateDbContext([]);

        var names = context.Database.GetMigrations().Select(id => id[(id.IndexOf('_') + 1)..]);

        Assert.Equal(["InitialSchema", "AddDueDate", "AddUpdatedAt", "CoverListOrder"], names);
    }
}
