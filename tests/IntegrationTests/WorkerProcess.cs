namespace IntegrationTests;

/// <summary>
/// The MigrationService run standalone — as a container CMD, a Kubernetes Job or a CI step runs it — with only a
/// connection string in its environment.
/// </summary>
public static class WorkerProcess
{
    /// <summary>Starts the worker (published precompiled, as its container image has it) with <paramref name="args"/>, the connection string and any extra environment.</summary>
    public static ChildProcess Start(string? connectionString, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        StartCommand(["dotnet", BuildOutput.Precompiled("MigrationService"), .. args], connectionString, environment);

    /// <summary>
    /// Starts the worker where it can write no file (<see cref="ReadOnlyFileSystem"/>), from <paramref name="directory"/>,
    /// which is also its temporary and home directory.
    /// </summary>
    public static ChildProcess StartInReadOnlyFileSystem(string? connectionString, IEnumerable<string> args, string directory) =>
        StartCommand(ReadOnlyFileSystem.Wrap(["dotnet", BuildOutput.Precompiled("MigrationService"), .. args]), connectionString,
            new Dictionary<string, string> { ["TMPDIR"] = directory, ["HOME"] = directory }, directory);

    private static ChildProcess StartCommand(IReadOnlyList<string> command, string? connectionString, IDictionary<string, string>? environment,
        string? workingDirectory = null) =>
        ChildProcess.Start(command[0], command.Skip(1), startInfo =>
        {
            if (workingDirectory is not null)
            {
                startInfo.WorkingDirectory = workingDirectory;
            }

            // Nothing of the test's own configuration leaks in: only what a standalone deployment would set.
            startInfo.Environment.Remove("ConnectionStrings__appdb");
            startInfo.Environment.Remove("ConnectionStrings__appdb-web");
            startInfo.Environment.Remove("ConnectionStrings__appdb_web");
            startInfo.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
            startInfo.Environment.Remove("PGSSLROOTCERT"); // would replace the OS trust store for SSL Mode=VerifyFull
            if (connectionString is not null)
            {
                startInfo.Environment["ConnectionStrings__appdb"] = connectionString;
            }

            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                startInfo.Environment[key] = value;
            }
        });

    /// <summary>Runs the worker to its end and returns what it said (results on stdout; logs too, except for <c>--list</c> / <c>--script</c>).</summary>
    public static async Task<ChildProcessResult> RunAsync(string? connectionString, params string[] args)
    {
        await using var worker = Start(connectionString, args);
        return await worker.WaitAsync();
    }

    /// <summary>What the worker adds to an unreachable database's error line.</summary>
    public const string UnreachableAdvice = "Check that the server runs and the connection string 'appdb' points at it.";

    /// <summary>
    /// The messages the worker logged at error level, one entry per message (a message on several lines stays one
    /// entry, so a test comparing against one line sees any extra line, such as a stack trace).
    /// </summary>
    public static IReadOnlyList<string> LoggedErrors(string output)
    {
        // The console logger writes "fail: Category[id]", then the message indented by six spaces.
        var errors = new List<string>();
        List<string>? current = null;
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("      ", StringComparison.Ordinal) && current is not null)
            {
                current.Add(line[6..]);
                continue;
            }

            if (current is not null)
            {
                errors.Add(string.Join('\n', current));
            }

            current = line.StartsWith("fail: ", StringComparison.Ordinal) || line.StartsWith("crit: ", StringComparison.Ordinal) ? [] : null;
        }

        if (current is not null)
        {
            errors.Add(string.Join('\n', current));
        }

        return errors;
    }
}
