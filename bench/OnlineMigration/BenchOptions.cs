namespace OnlineMigration;

/// <summary>The scenario's command line: <c>--server</c>, <c>--worker</c>, and optionally <c>--rows</c>, <c>--psql</c>.</summary>
/// <param name="Server">A connection string to the server (any database); the scenario creates and drops its own.</param>
/// <param name="Worker">The built <c>MigrationService.dll</c>.</param>
/// <param name="Rows">Rows in <c>Todos</c>.</param>
/// <param name="Psql">The psql executable.</param>
public sealed record BenchOptions(string Server, string Worker, int Rows, string Psql)
{
    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        string Required(string name) => values.TryGetValue(name, out var value)
            ? value
            : throw new ArgumentException($"Missing {name}. Usage: --server <connection string> --worker <MigrationService.dll> [--rows 1000000] [--psql psql]");

        return new BenchOptions(
            Required("--server"),
            Path.GetFullPath(Required("--worker")),
            values.TryGetValue("--rows", out var rows) ? int.Parse(rows) : 1_000_000,
            values.GetValueOrDefault("--psql", "psql"));
    }
}
