using System.Globalization;
using System.Text.RegularExpressions;

namespace OnlineMigration;

/// <summary>Where a variant's time went.</summary>
/// <param name="Expand">Column, default and trigger (the same short transaction in both variants).</param>
/// <param name="Backfill">The UPDATE, or all batches of the online backfill.</param>
/// <param name="NotNull">SET NOT NULL, or the check constraint's three steps.</param>
/// <param name="Index">CREATE INDEX, or the concurrent build with its repair check.</param>
/// <param name="Other">The worker's own statements: history, lock, session settings.</param>
/// <param name="BatchTimes">Each batch's time as the backfill reported it (the baseline's UPDATE is one batch).</param>
/// <param name="Total">The migration's statements, summed (the worker's start-up, connection and seed are not counted).</param>
public sealed partial record Phases(
    TimeSpan Expand, TimeSpan Backfill, TimeSpan NotNull, TimeSpan Index, TimeSpan Other, IReadOnlyList<TimeSpan> BatchTimes, TimeSpan Total)
{
    /// <summary>Reads the worker's log: EF Core's "Executed DbCommand (N ms)" lines, the batch reports, the summary.</summary>
    public static Phases FromWorkerLog(string log)
    {
        TimeSpan expand = default, backfill = default, notNull = default, index = default, other = default;
        foreach (Match command in Command().Matches(log))
        {
            var elapsed = TimeSpan.FromMilliseconds(int.Parse(command.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture));
            var sql = command.Groups[2].Value;
            if (sql.Contains("$backfill$"))
            {
                backfill += elapsed;
            }
            else if (sql.Contains("_NotNull") || sql.Contains("SET NOT NULL"))
            {
                notNull += elapsed;
            }
            else if (sql.Contains("INDEX"))
            {
                index += elapsed;
            }
            else if (sql.Contains("ADD COLUMN") || sql.Contains("CREATE OR REPLACE"))
            {
                expand += elapsed;
            }
            else
            {
                other += elapsed;
            }
        }

        var batches = Batch().Matches(log).Select(m => TimeSpan.FromMilliseconds(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))).ToList();
        return new Phases(expand, backfill, notNull, index, other, batches, expand + backfill + notNull + index + other);
    }

    // The SQL follows the "Executed DbCommand (1,234ms)" line, indented, until the next log entry.
    [GeneratedRegex(@"Executed DbCommand \(([\d,]+)ms\)[^\n]*\n((?: {6}[^\n]*\n?)*)")]
    private static partial Regex Command();

    [GeneratedRegex(@"Backfill of Todos: \d+ row\(s\) with Id in \[\d+, \d+\) in (\d+) ms")]
    private static partial Regex Batch();

}
