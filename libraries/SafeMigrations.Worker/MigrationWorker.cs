namespace SafeMigrations.Worker;

/// <summary>
/// The migration worker: a program that migrates every registered EF Core context, seeds a new database, and exits with
/// a documented code (<see cref="ExitCodes"/>).
/// </summary>
/// <example>
/// <code>
/// var worker = MigrationWorker.CreateBuilder(args);
/// worker.AddServiceDefaults();
/// worker.AddContext&lt;AppDbContext&gt;("appdb").WithSeeder&lt;AppDbSeeder&gt;();
/// return await worker.RunAsync();
/// </code>
/// </example>
public static class MigrationWorker
{
    /// <summary>
    /// Reads the command line (<c>--target</c>, <c>--context</c>, <c>--list</c>, <c>--json</c>, <c>--script</c>,
    /// <c>--repair</c>, <c>--allow-data-loss</c>, <c>--help</c>) into the <c>Migrations</c> configuration section, and
    /// creates the generic host's builder with the program's folder as content root. <c>--help</c> and arguments it
    /// refuses are answered at once; <see cref="MigrationWorkerBuilder.RunAsync"/> then returns their exit code.
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    public static MigrationWorkerBuilder CreateBuilder(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return new MigrationWorkerBuilder(args);
    }
}
