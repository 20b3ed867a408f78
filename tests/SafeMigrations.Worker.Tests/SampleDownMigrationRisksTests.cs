using SafeMigrations.Schema;

namespace SafeMigrations.Worker.Tests;

/// <summary>
/// The sample's own Downs, as the conservative data-loss reader sees them: each drops what it says and nothing it
/// cannot classify, so rolling the sample back asks for consent only where data would go.
/// </summary>
public sealed class SampleDownMigrationRisksTests
{
    [Fact]
    public void Reverting_every_migration_drops_the_update_time_the_due_date_then_the_table_and_nothing_else()
    {
        var risks = DownMigrationRisks.Of(DataMigrations.All().Reverse().Select(m => m.Migration));

        Assert.All(risks, r => Assert.Empty(r.Unclassified));
        Assert.Equal(
            [
                """CoverListOrder: """,
                """AddUpdatedAt: drops Todos.UpdatedAt: SELECT count("UpdatedAt") FROM "Todos" """,
                """AddDueDate: drops Todos.DueDate: SELECT count("DueDate") FROM "Todos" """,
                """InitialSchema: drops table Todos: SELECT count(*) FROM "Todos" """,
            ],
            DataMigrations.All().Reverse().Zip(risks, (m, r) =>
                $"{SafeMigrations.MigrationId.Name(m.Id)}: " + string.Join(", ", r.Losses.Select(l => $"{l.Describe(0)[..l.Describe(0).IndexOf(':')]}: {l.CountSql} "))));
    }
}
