using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Schema;

namespace SafeMigrations.Worker;

/// <summary>
/// Which down-migrations may destroy data, read from their operations and their SQL (no database needed) by the core
/// library's conservative reader (<see cref="DownMigrationRisks"/>): whatever it cannot classify as harmless needs
/// consent too.
/// </summary>
internal static class DownMigrationDataLoss
{
    /// <summary>
    /// What reverting <paramref name="reverted"/> (newest first, as they would run) may destroy. Whether a loss holds
    /// anything is for the database to say (<see cref="DataAtRisk.CountSql"/>): an empty table or column loses nothing.
    /// </summary>
    public static IReadOnlyList<DataAtRisk> Of(IEnumerable<(string Id, Migration Migration)> reverted)
    {
        var migrations = reverted.ToList();
        return
        [
            .. migrations.Zip(DownMigrationRisks.Of(migrations.Select(m => m.Migration)), (m, risks) => (Name: MigrationId.Name(m.Id), Risks: risks))
                .SelectMany(m => m.Risks.Losses.Select(loss => new DataAtRisk(m.Name, loss, null))
                    .Concat(m.Risks.Unclassified.Select(statement => new DataAtRisk(m.Name, null, statement)))),
        ];
    }
}
