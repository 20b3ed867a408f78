using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Hosting;

/// <summary>
/// The inputs of "Migrate to…" and the worker's command line they make: <c>target</c> (chosen from the worker's own
/// list), <c>allowDataLoss</c> (off by default: the worker's <c>--allow-data-loss</c>) and <c>context</c> (optional: the
/// worker's <c>--context</c>, for a target that names migrations of several contexts).
/// </summary>
/// <param name="Target">A migration's id or name, in any case, or <c>0</c>.</param>
/// <param name="AllowDataLoss">The consent to a down-migration that drops data.</param>
/// <param name="Context">The context the target belongs to; null: the worker finds it.</param>
internal sealed record MigrateTo(string Target, bool AllowDataLoss, string? Context)
{
    private const string TargetInput = "target";
    private const string AllowDataLossInput = "allowDataLoss";
    private const string ContextInput = "context";

    /// <summary>
    /// The inputs. The target's choices are loaded when the dialog opens, from the worker's <c>--list --json</c>: its
    /// migrations, not a second reading of the migrations assembly here (which would load EF Core into the AppHost).
    /// </summary>
    public static InteractionInput[] Arguments(ProjectResource worker) =>
    [
        new InteractionInput
        {
            Name = TargetInput,
            Label = "Target migration",
            InputType = InputType.Choice,
            Required = true,
            // Any id or name, in any case, as the worker's --target takes it; the worker answers an unknown one.
            AllowCustomChoice = true,
            Options = [new(WorkerMigrationList.RevertAll, $"{WorkerMigrationList.RevertAll} (revert all)")],
            DynamicLoading = new InputLoadOptions { LoadCallback = context => LoadChoicesAsync(worker, context) },
        },
        new InteractionInput
        {
            Name = AllowDataLossInput,
            Label = "Allow data loss",
            Description = "Going down through a migration that drops columns or tables holding data is refused unless this is ticked.",
            InputType = InputType.Boolean,
        },
        new InteractionInput
        {
            Name = ContextInput,
            Label = "Context",
            Description = "Only when the worker migrates several contexts and the target names migrations of more than one.",
            InputType = InputType.Choice,
            AllowCustomChoice = true,
            Options = [],
        },
    ];

    /// <summary>What the caller asked for. Absent inputs (API or CLI callers that leave them out) count as unticked and empty.</summary>
    public static MigrateTo Read(InteractionInputCollection arguments) => new(
        arguments.GetString(TargetInput)?.Trim() ?? "",
        arguments.TryGetByName(AllowDataLossInput, out var consent) && bool.TryParse(consent.Value, out var ticked) && ticked,
        arguments.TryGetByName(ContextInput, out var context) && !string.IsNullOrWhiteSpace(context.Value) ? context.Value.Trim() : null);

    /// <summary>The worker's arguments.</summary>
    public string[] CommandLine() =>
    [
        "--target", Target,
        .. AllowDataLoss ? new[] { "--allow-data-loss" } : [],
        .. Context is null ? [] : new[] { "--context", Context },
    ];

    /// <summary>
    /// Fills the target's choices (and the contexts') from the worker's list. Skipped when a target is given already:
    /// a caller that names one (the API, the CLI) needs no choices, and the worker answers an unknown one. When the list
    /// cannot be had, the choices stay <c>0</c> and any name typed in; the worker's error is in the resource's logs.
    /// </summary>
    private static async Task LoadChoicesAsync(ProjectResource worker, LoadInputContext context)
    {
        if (!string.IsNullOrWhiteSpace(context.Input.Value))
        {
            return;
        }

        var logger = context.Services.GetRequiredService<ResourceLoggerService>().GetLogger(worker);
        var outcome = await WorkerCommandProcess.RunAsync(worker, ["--list", "--json"], logger, context.Services, context.CancellationToken);
        if (outcome.ExitCode != 0 || WorkerMigrationList.Parse(outcome.Output) is not { } list)
        {
            return;
        }

        context.Input.Options = list.TargetChoices();
        if (context.AllInputs.TryGetByName(ContextInput, out var contexts))
        {
            contexts.Options = [.. list.Contexts.Select(c => KeyValuePair.Create(c.Name, c.Name))];
        }
    }
}
