namespace SafeMigrations.Worker;

/// <summary>Work the worker retries after a lock timeout (<see cref="MigrationStepRunner"/>).</summary>
/// <param name="Description">What it is, for messages that start with the context's name: <c>migration 20261129094731_AddUpdatedAt</c>, say.</param>
/// <param name="GivenUp">What the database is left with once the retries are spent, as a sentence without its full stop.</param>
public sealed record RetriedStep(string Description, string GivenUp);
