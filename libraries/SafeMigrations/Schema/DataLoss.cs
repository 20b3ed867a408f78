using System.Globalization;

namespace SafeMigrations.Schema;

/// <summary>
/// Data a statement (or an operation) of a down-migration destroys, and how to count it on the database before the
/// migration runs (<see cref="DownMigrationRisks"/>).
/// </summary>
/// <param name="Kind">How the data goes.</param>
/// <param name="Target">What holds it, for messages: <c>Todos</c>, <c>Todos.DueDate</c>, <c>app.Todos</c>.</param>
/// <param name="Statement">The statement's first words, or the operation's name (<c>DropColumn</c>).</param>
/// <param name="CountSql">
/// One query whose single <c>bigint</c> counts what would go (rows, or non-null values); null when it cannot be
/// counted beforehand (<paramref name="NotCountedBecause"/> says why): then only consent lets the statement run.
/// </param>
/// <param name="NotCountedBecause">Why there is no <paramref name="CountSql"/>; null when there is one.</param>
/// <param name="LosesNothingWhenAbsent">
/// Whether the count may be taken as 0 when its table or column does not exist (PostgreSQL's <c>42P01</c>,
/// <c>42703</c>, <c>3F000</c>, <c>42704</c>): true for drops and <c>TRUNCATE</c> (a missing object is not dropped, or the
/// statement fails); false for <c>DELETE</c> and <c>UPDATE</c> (inside a <c>DO</c> block a name may be a variable), whose
/// count failing means it could not be taken.
/// </param>
public sealed record DataLoss(
    DataLossKind Kind, string Target, string Statement, string? CountSql, string? NotCountedBecause, bool LosesNothingWhenAbsent)
{
    /// <summary>One clause of a refusal or a log line: <c>drops Todos.DueDate: 42 non-null values</c>.</summary>
    /// <param name="count">What <see cref="CountSql"/> returned.</param>
    public string Describe(long count)
    {
        var n = count.ToString(CultureInfo.InvariantCulture);
        var s = count == 1 ? "" : "s";
        return Kind switch
        {
            DataLossKind.DropTable => $"drops table {Target}: {n} row{s}",
            DataLossKind.DropColumn => $"drops {Target}: {n} non-null value{s}",
            DataLossKind.ChangeColumnType => $"changes the type of {Target}: {n} non-null value{s}",
            DataLossKind.DeleteRows => $"deletes from {Target}: {n} row{s}",
            DataLossKind.OverwriteValues => $"overwrites {Target}: {n} row{s} holding a value",
            DataLossKind.Truncate => $"truncates {Target}: {n} row{s}",
            _ => $"drops {Target} with CASCADE: {n} row{s} and non-null value{s}",
        };
    }

    /// <summary>The clause for a loss that cannot be counted: <c>deletes from Todos (DELETE FROM … ): not counted beforehand: …</c>.</summary>
    public string Describe() => Kind switch
    {
        DataLossKind.DropTable => $"drops table {Target}",
        DataLossKind.DropColumn => $"drops {Target}",
        DataLossKind.ChangeColumnType => $"changes the type of {Target}",
        DataLossKind.DeleteRows => $"deletes from {Target}",
        DataLossKind.OverwriteValues => $"overwrites {Target}",
        DataLossKind.Truncate => $"truncates {Target}",
        _ => $"drops {Target} with CASCADE",
    } + $" ({Statement}), which cannot be counted beforehand: {NotCountedBecause}";
}
