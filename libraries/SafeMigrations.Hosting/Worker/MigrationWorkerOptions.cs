namespace SafeMigrations.Hosting;

/// <summary>Choices of the AppHost about its migration worker.</summary>
public sealed class MigrationWorkerOptions
{
    /// <summary>
    /// The command that runs the published worker job with the worker's arguments (a rollback's <c>--target</c>), named
    /// when a <c>Migrations:*</c> setting is refused at publishing; by default the refusal names the job.
    /// </summary>
    public string? JobRunner { get; set; }

    /// <summary>Where <see cref="JobRunner"/> is documented, named with it.</summary>
    public string? JobRunnerDocumentation { get; set; }
}
