using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Worker;

/// <summary>A registered context as target selection sees it: its name and its migrations.</summary>
internal interface IMigrationTargets
{
    /// <summary>The context's type name.</summary>
    string Name { get; }

    /// <summary>Every migration of this build, oldest first (full ids).</summary>
    IReadOnlyList<string> KnownMigrations { get; }

    /// <summary>The full id of the migration <paramref name="nameOrId"/> names (id or name, any case), or null.</summary>
    string? FindMigrationId(string nameOrId);
}

/// <summary>
/// Which contexts a run moves, and where to: <c>Migrations:Context</c> picks one (by type name, any case); a
/// <c>Migrations:Target</c> must name a migration of exactly one of the contexts left — only that one moves — and
/// <c>0</c>, or a name several contexts share, needs <c>--context</c>. Every refusal is one line that lists the valid
/// choices, before any context is touched.
/// </summary>
internal static class TargetSelection
{
    /// <returns>The contexts to run, in registration order, each with its target id (null: the latest, then seed).</returns>
    /// <exception cref="InvalidArgumentsException">An unknown context, an unknown or ambiguous target, or a target with <c>--repair</c>.</exception>
    public static IReadOnlyList<(T Context, string? TargetId)> Select<T>(IReadOnlyList<T> contexts, MigrationOptions options)
        where T : IMigrationTargets
    {
        var candidates = contexts;
        if (!string.IsNullOrWhiteSpace(options.Context))
        {
            var name = options.Context.Trim();
            candidates = [.. contexts.Where(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))];
            if (candidates.Count == 0)
            {
                throw new InvalidArgumentsException($"Unknown context '{name}'. Registered contexts: {string.Join(", ", contexts.Select(c => c.Name))}.");
            }
        }

        var target = string.IsNullOrWhiteSpace(options.Target) ? null : options.Target.Trim();
        if (target is null)
        {
            return [.. candidates.Select(c => (c, (string?)null))];
        }

        if (options.Repair)
        {
            throw new InvalidArgumentsException("Migrations:Repair migrates nothing, so it takes no target: run it alone, then migrate.");
        }

        var matches = candidates.Select(c => (Context: c, TargetId: Resolve(c, target))).Where(m => m.TargetId is not null).ToList();
        return matches switch
        {
            [var only] => [only],
            [] when candidates.Count == 1 => throw new InvalidArgumentsException(
                $"Unknown target migration '{target}' for {candidates[0].Name}. Valid targets: {ValidTargets(candidates[0])}."),
            [] => throw new InvalidArgumentsException(
                $"Unknown target migration '{target}' for {Join(candidates.Select(c => c.Name), "or")}. Valid targets — {ValidTargets(candidates)}."),
            _ => throw new InvalidArgumentsException(
                $"Ambiguous target migration '{target}': {Join(matches.Select(m => m.Context.Name), "and")} each have it; name one with " +
                $"--context <name>. Valid targets — {ValidTargets(candidates)}."),
        };
    }

    private static string? Resolve(IMigrationTargets context, string target) =>
        target == Migration.InitialDatabase ? Migration.InitialDatabase : context.FindMigrationId(target);

    private static string ValidTargets(IMigrationTargets context) =>
        string.Join(", ", [$"{Migration.InitialDatabase} (revert all)", .. context.KnownMigrations]);

    private static string ValidTargets<T>(IEnumerable<T> contexts)
        where T : IMigrationTargets =>
        string.Join("; ", contexts.Select(c => $"{c.Name}: {ValidTargets(c)}"));

    private static string Join(IEnumerable<string> names, string conjunction) => names.ToList() switch
    {
        [.. var first, var last] when first.Count > 0 => $"{string.Join(", ", first)} {conjunction} {last}",
        var one => string.Concat(one),
    };
}
