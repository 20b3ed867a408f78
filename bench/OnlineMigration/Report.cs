namespace OnlineMigration;

/// <summary>One variant's outcome.</summary>
public sealed record Result(string Variant, bool WithWriter, Phases Phases, int? Writes, int? WriteErrors, TimeSpan? LongestWait);

/// <summary>Prints the results as a Markdown table, then the two figures the targets are about.</summary>
public static class Report
{
    public static void Print(IReadOnlyList<Result> results, Result writerAlone)
    {
        Console.WriteLine();
        Console.WriteLine("| variant | writer | total s | expand s | backfill s (batches, median / longest ms) | NOT NULL s | index s | other s | writes (errors) | longest write wait ms |");
        Console.WriteLine("|---|---|---:|---:|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var p = r.Phases;
            Console.WriteLine(
                $"| {r.Variant} | {(r.WithWriter ? "yes" : "no")} | {p.Total.TotalSeconds:0.00} | {p.Expand.TotalSeconds:0.00} | " +
                $"{p.Backfill.TotalSeconds:0.00} ({p.BatchTimes.Count}, {Median(p.BatchTimes).TotalMilliseconds:0} / {Longest(p.BatchTimes).TotalMilliseconds:0}) | " +
                $"{p.NotNull.TotalSeconds:0.00} | {p.Index.TotalSeconds:0.00} | {p.Other.TotalSeconds:0.00} | " +
                $"{(r.Writes is { } w ? $"{w} ({r.WriteErrors})" : "—")} | {(r.LongestWait is { } l ? $"{l.TotalMilliseconds:0}" : "—")} |");
        }

        Console.WriteLine();
        foreach (var withWriter in new[] { false, true })
        {
            var baseline = results.Single(r => r.WithWriter == withWriter && r.Variant.StartsWith("psql"));
            var online = results.Single(r => r.WithWriter == withWriter && r.Variant.StartsWith("worker"));
            Console.WriteLine(
                $"{(withWriter ? "With a writer" : "Alone")}: online / baseline = {online.Phases.Total / baseline.Phases.Total:0.00}x (target <= 1.5x)");
            if (withWriter)
            {
                var batch = Median(online.Phases.BatchTimes);
                Console.WriteLine(
                    $"Longest write wait: online {online.LongestWait!.Value.TotalMilliseconds:0} ms = {online.LongestWait.Value / batch:0.0} x a batch " +
                    $"({batch.TotalMilliseconds:0} ms median, {Longest(online.Phases.BatchTimes).TotalMilliseconds:0} ms longest; target <= 2x); " +
                    $"baseline {baseline.LongestWait!.Value.TotalMilliseconds:0} ms; no migration {writerAlone.LongestWait!.Value.TotalMilliseconds:0} ms " +
                    $"({writerAlone.Writes} writes in {writerAlone.Phases.Total.TotalSeconds:0} s)");
            }
        }
    }

    private static TimeSpan Median(IReadOnlyList<TimeSpan> times) => times.Count == 0 ? TimeSpan.Zero : times.Order().ElementAt(times.Count / 2);

    private static TimeSpan Longest(IReadOnlyList<TimeSpan> times) => times.Count == 0 ? TimeSpan.Zero : times.Max();
}
