using System.Text;

namespace SafeMigrations.Worker;

/// <summary>What <c>--drift</c> found for one context.</summary>
/// <param name="Context">The context's name.</param>
/// <param name="Database">Its database.</param>
/// <param name="LastApplied">The last applied migration, whose model was compared; null when none is applied.</param>
/// <param name="Differences">The differences not ignored, in the order found.</param>
/// <param name="Ignored">How many differences <c>Migrations:Drift:Ignore</c> left out.</param>
internal sealed record DriftReport(string Context, string? Database, string? LastApplied, IReadOnlyList<DriftDifference> Differences, int Ignored)
{
    /// <summary>The lines <c>--drift</c> prints: a heading per context, then one line per difference.</summary>
    public static string Text(IEnumerable<DriftReport> reports)
    {
        var text = new StringBuilder();
        foreach (var report in reports)
        {
            var ignored = report.Ignored > 0 ? $"; {report.Ignored} ignored (Migrations:Drift:Ignore)" : "";
            var against = report.LastApplied is null ? "no migration applied" : $"the schema as of {report.LastApplied}";
            text.Append(report.Differences.Count == 0
                ? $"{report.Context} ({report.Database}): no drift from {against}{ignored}\n"
                : $"{report.Context} ({report.Database}): {report.Differences.Count} difference(s) from {against}{ignored}\n");
            foreach (var difference in report.Differences)
            {
                text.Append($"  {difference}\n");
            }
        }

        return text.ToString();
    }
}
