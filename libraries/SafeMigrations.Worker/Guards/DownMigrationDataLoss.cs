using Microsoft.EntityFrameworkCore.Migrations;
using SafeMigrations.Schema;

namespace SafeMigrations.Worker;

/// <summary>Which down-migrations destroy data, read from their operations (no database needed).</summary>
internal static class DownMigrationDataLoss
{
    /// <summary>
    /// What reverting <paramref name="reverted"/> (newest first, as they would run) may destroy. Whether it holds
    /// anything is for the database to say (<see cref="DataAtRisk.CountSql"/>): an empty table or column loses nothing.
    /// </summary>
    public static IReadOnlyList<DataAtRisk> Of(IEnumerable<(string Id, Migration Migration)> reverted) =>
    [
        .. reverted.SelectMany(m => SchemaChanges.Of(m.Migration, down: true)
            .Where(c => c.Kind is SchemaChangeKind.DropTable or SchemaChangeKind.DropColumn or SchemaChangeKind.ChangeColumnType)
            .Select(c => new DataAtRisk(MigrationId.Name(m.Id), c))),
    ];
}
