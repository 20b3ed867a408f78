using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Logging;

namespace AppHost;

/// <summary>
/// The dashboard as the migration console: commands on the worker resource (also run by <c>aspire resource migrations
/// &lt;command&gt;</c>), each running the worker itself with the matching command line. See docs/dashboard-commands.md.
/// </summary>
internal static class MigrationCommandsBuilderExtensions
{
    /// <summary>
    /// Adds Status, Pending SQL, Migrate to latest, Migrate to… and Reset database to <paramref name="worker"/>, which
    /// migrates <paramref name="database"/>. Run mode only: a published app has no dashboard, and no command reaches the
    /// manifest.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMigrationCommands(this IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<IResourceWithConnectionString> database)
    {
        if (!worker.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            return worker;
        }

        var gate = new WorkerCommandGate(worker.Resource);

        Func<ExecuteCommandContext, Task<ExecuteCommandResult>> Run(string title, string[] arguments,
            Func<WorkerCommandOutcome, ExecuteCommandResult> succeeded) =>
            context => gate.RunAsync(context, title, () => RunWorkerAsync(worker.Resource, arguments, context, succeeded));

        worker.WithCommand("status", "Status",
            Run("Status", ["--list"], outcome => CommandResults.Success(
                $"Applied and pending migrations (also in the console logs of '{worker.Resource.Name}').",
                outcome.Output, CommandResultFormat.Text, displayImmediately: true)),
            Options("Applied and pending migrations per context (the worker's --list). Changes nothing.", "TextBulletListSquare"));

        worker.WithCommand("pending-sql", "Pending SQL",
            Run("Pending SQL", ["--script"], outcome => CommandResults.Success(
                $"The idempotent SQL of the pending migrations is in the console logs of '{worker.Resource.Name}'.",
                outcome.Output, CommandResultFormat.Text)),
            Options("The idempotent SQL of the pending migrations (the worker's --script), for review. Changes nothing.", "Code"));

        worker.WithCommand("migrate", "Migrate to latest",
            Run("Migrating to latest", [], _ => CommandResults.Success("Migrated to the latest migration.")),
            Options("Apply every pending migration (a new database is seeded too): what the resource does when it starts.", "ArrowUp"));

        worker.WithCommand("migrate-to", "Migrate to…", context => MigrateToAsync(gate, worker.Resource, context),
            Options("Migrate up or down to exactly one migration (0 reverts all). No seed.", "ArrowSwap", MigrateToArguments()));

        var reset = DatabaseReset.For(database.Resource);
        worker.WithCommand("reset-database", "Reset database", context => ResetAsync(gate, worker.Resource, reset, context),
            new CommandOptions
            {
                Description = reset is null
                    ? "Not offered for an existing server (Postgres:Mode=External): this AppHost does not own it."
                    : $"Drop and recreate the database '{reset.DatabaseName}', then migrate and seed. Development only: all its data is lost.",
                ConfirmationMessage = reset is null ? null : $"Drop the database '{reset.DatabaseName}' and lose all of its data?",
                IconName = "DatabaseWarning",
                UpdateState = context => reset is null ? ResourceCommandState.Disabled : WorkerCommandGate.EnabledWhenIdle(context),
            });

        return worker;
    }

    private static CommandOptions Options(string description, string icon, params InteractionInput[] arguments) => new()
    {
        Description = description,
        IconName = icon,
        Arguments = arguments,
        UpdateState = WorkerCommandGate.EnabledWhenIdle,
    };

    /// <summary>The inputs of "Migrate to…": the target, and the consent to a down-migration that drops data (off by default: the worker's --allow-data-loss).</summary>
    private static InteractionInput[] MigrateToArguments() =>
    [
        new InteractionInput
        {
            Name = "target",
            Label = "Target migration",
            InputType = InputType.Choice,
            Required = true,
            // Any id or name, in any case, as the worker's --target takes it; an unknown one gets a clear answer below.
            AllowCustomChoice = true,
            Options = [new(AppDbMigrations.RevertAll, $"{AppDbMigrations.RevertAll} (revert all)"),
                       .. AppDbMigrations.Ids.Select(id => new KeyValuePair<string, string>(id, id))],
        },
        new InteractionInput
        {
            Name = AllowDataLossInput,
            Label = "Allow data loss",
            Description = "Going down through a migration that drops columns or tables holding data is refused unless this is ticked.",
            InputType = InputType.Boolean,
        },
    ];

    private const string AllowDataLossInput = "allowDataLoss";

    private static async Task<ExecuteCommandResult> MigrateToAsync(WorkerCommandGate gate, ProjectResource worker, ExecuteCommandContext context)
    {
        // Checked here, not by the arguments' validation: that answers API and CLI callers only "Command argument validation failed."
        var target = context.Arguments.GetString("target")?.Trim() ?? "";
        if (AppDbMigrations.Resolve(target) is not { } targetId)
        {
            return CommandResults.Failure(AppDbMigrations.UnknownTargetMessage(target));
        }

        // Absent (API or CLI callers that leave it out) counts as unticked.
        var allowDataLoss = context.Arguments.TryGetByName(AllowDataLossInput, out var consent)
            && bool.TryParse(consent.Value, out var ticked) && ticked;
        string[] arguments = allowDataLoss ? ["--target", targetId, "--allow-data-loss"] : ["--target", targetId];
        return await gate.RunAsync(context, $"Migrating to {targetId}", () =>
            RunWorkerAsync(worker, arguments, context, _ => CommandResults.Success($"Migrated to {targetId}.")));
    }

    private static async Task<ExecuteCommandResult> ResetAsync(WorkerCommandGate gate, ProjectResource worker, DatabaseReset? reset,
        ExecuteCommandContext context)
    {
        if (reset is null)
        {
            return CommandResults.Failure("Reset database is refused for an existing server (Postgres:Mode=External): this AppHost does not own it.");
        }

        return await gate.RunAsync(context, "Resetting the database", async () =>
        {
            context.Logger.LogWarning("Dropping and recreating the database '{Database}'", reset.DatabaseName);
            await reset.DropAndCreateAsync(context.CancellationToken);
            return await RunWorkerAsync(worker, [], context,
                _ => CommandResults.Success($"The database '{reset.DatabaseName}' was recreated, migrated and seeded."));
        });
    }

    /// <summary>Runs the worker once; the result is <paramref name="succeeded"/>'s on exit code 0, else the worker's failure line.</summary>
    private static async Task<ExecuteCommandResult> RunWorkerAsync(ProjectResource worker, string[] arguments, ExecuteCommandContext context,
        Func<WorkerCommandOutcome, ExecuteCommandResult> succeeded)
    {
        var outcome = await WorkerCommandProcess.RunAsync(worker, arguments, context);
        return outcome.ExitCode == 0 ? succeeded(outcome) : CommandResults.Failure(outcome.FailureLine);
    }
}
