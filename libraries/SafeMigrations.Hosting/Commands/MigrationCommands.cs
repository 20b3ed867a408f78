using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace SafeMigrations.Hosting;

/// <summary>
/// The dashboard as the migration console: commands on the worker resource (also run by <c>aspire resource &lt;worker&gt;
/// &lt;command&gt;</c>), each running the worker itself with the matching command line. Run mode only: a published app
/// has no dashboard, and no command reaches the manifest.
/// </summary>
internal static class MigrationCommands
{
    /// <summary>The commands' names, as the dashboard's API and the Aspire CLI take them.</summary>
    public static readonly string[] Names = ["status", "pending-sql", "plan", "drift", "migrate", "migrate-to", "reset-database"];

    /// <summary>
    /// Adds Status, Pending SQL, Plan, Drift, Migrate to latest, Migrate to… and Reset database to <paramref name="worker"/> — again
    /// when a database is added, so that Reset names every database of the worker.
    /// </summary>
    public static void AddTo(IResourceBuilder<ProjectResource> worker, MigrationWorkerAnnotation annotation)
    {
        if (!worker.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return;
        }

        foreach (var earlier in worker.Resource.Annotations.OfType<ResourceCommandAnnotation>().Where(c => Names.Contains(c.Name)).ToList())
        {
            worker.Resource.Annotations.Remove(earlier);
        }

        var resource = worker.Resource;
        var gate = new WorkerCommandGate(resource);

        Func<ExecuteCommandContext, Task<ExecuteCommandResult>> Run(string title, string[] arguments,
            Func<WorkerCommandOutcome, ExecuteCommandContext, ExecuteCommandResult> succeeded) =>
            context => gate.RunAsync(context, title, () => RunWorkerAsync(resource, arguments, context, outcome => succeeded(outcome, context)));

        worker.WithCommand("status", "Status",
            Run("Status", ["--list", "--json"], (outcome, context) => StatusOf(resource, outcome, context.Logger)),
            Options("Applied and pending migrations per context (the worker's --list). Changes nothing.", "TextBulletListSquare"));

        worker.WithCommand("pending-sql", "Pending SQL",
            Run("Pending SQL", ["--script"], (outcome, _) => CommandResults.Success(
                $"The idempotent SQL of the pending migrations is in the console logs of '{resource.Name}'.",
                outcome.Output, CommandResultFormat.Text)),
            Options("The idempotent SQL of the pending migrations (the worker's --script), for review. Changes nothing.", "Code"));

        worker.WithCommand("plan", "Plan",
            Run("Plan", ["--plan"], (outcome, _) => TextResult(resource, outcome,
                "The pending migrations' locks, estimated times and data checks")),
            Options("For each pending migration: the locks it takes on live tables, their rows and size, the estimated time the app " +
                "waits, and the data checks' and the lock budget's verdicts (the worker's --plan). Changes nothing.", "ClipboardTaskListLtr"));

        worker.WithCommand("drift", "Drift", context => gate.RunAsync(context, "Drift", async () =>
            {
                // Exit 5 is the worker's answer "there is drift", not a failure to run: the differences are the result.
                var outcome = await WorkerCommandProcess.RunAsync(resource, ["--drift"], context.Logger, context.Services, context.CancellationToken);
                return outcome.ExitCode switch
                {
                    0 => TextResult(resource, outcome, "No drift: the schema is what the applied migrations build"),
                    DriftFound => CommandResults.Failure(
                        $"Drift: the schema differs from what the applied migrations build (also in the console logs of '{resource.Name}').",
                        outcome.Output, CommandResultFormat.Text),
                    _ => CommandResults.Failure(outcome.FailureLine),
                };
            }),
            Options("Compare the live schema with what the applied migrations build: tables, columns, types, defaults, indexes, " +
                "constraints, sequences, owners and grants (the worker's --drift). Changes nothing.", "BranchCompare"));

        worker.WithCommand("migrate", "Migrate to latest",
            Run("Migrating to latest", [], (_, _) => CommandResults.Success("Migrated to the latest migration.")),
            Options("Apply every pending migration (a new database is seeded too): what the resource does when it starts.", "ArrowUp"));

        worker.WithCommand("migrate-to", "Migrate to…", context => MigrateToAsync(gate, resource, context),
            Options("Migrate up or down to exactly one migration (0 reverts all). No seed.", "ArrowSwap",
                [.. MigrateTo.Arguments(resource)]));

        var reset = DatabaseReset.For(annotation);
        var names = reset is null ? "" : string.Join(", ", reset.DatabaseNames.Select(name => $"'{name}'"));
        var plural = reset is { DatabaseNames.Count: > 1 };
        worker.WithCommand("reset-database", "Reset database", context => ResetAsync(gate, resource, reset, names, context),
            new CommandOptions
            {
                Description = reset is null
                    ? "Not offered for an existing server (Postgres:Mode=External): this AppHost does not own it."
                    : $"Drop and recreate the {(plural ? "databases" : "database")} {names}, then migrate and seed. Development only: all {(plural ? "their" : "its")} data is lost.",
                ConfirmationMessage = reset is null ? null
                    : $"Drop the {(plural ? "databases" : "database")} {names} and lose all of {(plural ? "their" : "its")} data?",
                IconName = "DatabaseWarning",
                UpdateState = context => reset is null ? ResourceCommandState.Disabled : WorkerCommandGate.EnabledWhenIdle(context),
            });
    }

    /// <summary>The worker's list, for people: the command's result, and in the resource's console logs.</summary>
    private static ExecuteCommandResult StatusOf(ProjectResource worker, WorkerCommandOutcome outcome, ILogger logger)
    {
        if (WorkerMigrationList.Parse(outcome.Output) is not { } list)
        {
            return CommandResults.Failure($"The worker's list could not be read; see the console logs of '{worker.Name}'.");
        }

        var text = list.ToText();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            logger.LogInformation("{Line}", line);
        }

        return CommandResults.Success($"Applied and pending migrations (also in the console logs of '{worker.Name}').",
            text, CommandResultFormat.Text, displayImmediately: true);
    }

    /// <summary>The worker's exit code for drift found (its ExitCodes.DriftFound): a result, not a failure to run.</summary>
    private const int DriftFound = 5;

    /// <summary>A command whose result is the worker's text output (already in the resource's console logs, line by line).</summary>
    private static ExecuteCommandResult TextResult(ProjectResource worker, WorkerCommandOutcome outcome, string message) =>
        CommandResults.Success($"{message} (also in the console logs of '{worker.Name}').", outcome.Output, CommandResultFormat.Text,
            displayImmediately: true);

    private static CommandOptions Options(string description, string icon, params InteractionInput[] arguments) => new()
    {
        Description = description,
        IconName = icon,
        Arguments = arguments,
        UpdateState = WorkerCommandGate.EnabledWhenIdle,
    };

    private static async Task<ExecuteCommandResult> MigrateToAsync(WorkerCommandGate gate, ProjectResource worker, ExecuteCommandContext context)
    {
        // The worker resolves the target (a name or id in any case, or 0) and answers an unknown one with its own line
        // (exit 2, nothing changed): no second resolution here.
        var request = MigrateTo.Read(context.Arguments);
        return await gate.RunAsync(context, $"Migrating to {request.Target}", () =>
            RunWorkerAsync(worker, request.CommandLine(), context, _ => CommandResults.Success($"Migrated to {request.Target}.")));
    }

    private static async Task<ExecuteCommandResult> ResetAsync(WorkerCommandGate gate, ProjectResource worker, DatabaseReset? reset, string names,
        ExecuteCommandContext context)
    {
        if (reset is null)
        {
            return CommandResults.Failure("Reset database is refused for an existing server (Postgres:Mode=External): this AppHost does not own it.");
        }

        return await gate.RunAsync(context, "Resetting the database", async () =>
        {
            context.Logger.LogWarning("Dropping and recreating {Databases}", names);
            await reset.DropAndCreateAsync(context.CancellationToken);
            return await RunWorkerAsync(worker, [], context,
                _ => CommandResults.Success(reset.DatabaseNames.Count == 1
                    ? $"The database {names} was recreated, migrated and seeded."
                    : $"The databases {names} were recreated, migrated and seeded."));
        });
    }

    /// <summary>Runs the worker once; the result is <paramref name="succeeded"/>'s on exit code 0, else the worker's failure line.</summary>
    private static async Task<ExecuteCommandResult> RunWorkerAsync(ProjectResource worker, string[] arguments, ExecuteCommandContext context,
        Func<WorkerCommandOutcome, ExecuteCommandResult> succeeded)
    {
        var outcome = await WorkerCommandProcess.RunAsync(worker, arguments, context.Logger, context.Services, context.CancellationToken);
        return outcome.ExitCode == 0 ? succeeded(outcome) : CommandResults.Failure(outcome.FailureLine);
    }
}
