using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Hosting;

/// <summary>
/// Runs the worker's commands one at a time, each after the resource's own run has ended, and shows the one running as
/// the resource's state. Workers started elsewhere (a terminal, CI, another AppHost) are serialised by the worker's own
/// migration lock; this gate covers what that lock cannot: two commands here sharing the resource's state.
/// </summary>
internal sealed class WorkerCommandGate(ProjectResource worker)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>The commands' state: enabled while the worker is not running (its own run or a command).</summary>
    public static ResourceCommandState EnabledWhenIdle(UpdateCommandStateContext context) =>
        IsIdle(context.ResourceSnapshot) ? ResourceCommandState.Enabled : ResourceCommandState.Disabled;

    /// <summary>
    /// Runs <paramref name="action"/> alone, showing <paramref name="title"/> as the state of the worker meanwhile, then
    /// gives the worker back the state it had (that of its own last run: a command's exit code is in its result and logs,
    /// never passed off as the resource's).
    /// </summary>
    public async Task<T> RunAsync<T>(ExecuteCommandContext context, string title, Func<Task<T>> action)
    {
        var notifications = context.Services.GetRequiredService<ResourceNotificationService>();
        await _gate.WaitAsync(context.CancellationToken);
        try
        {
            // By model name: context.ResourceName is the instance id, which WaitForResourceAsync never matches.
            var idle = await notifications.WaitForResourceAsync(worker.Name, e => IsIdle(e.Snapshot), context.CancellationToken);
            var busy = new ResourceStateSnapshot(title + "…", KnownResourceStateStyles.Info);
            await notifications.PublishUpdateAsync(worker, snapshot => snapshot with { State = busy });
            try
            {
                return await action();
            }
            finally
            {
                // Unless the orchestrator has published a state of its own meanwhile (the resource was started again).
                await notifications.PublishUpdateAsync(worker, snapshot =>
                    snapshot.State == busy ? snapshot with { State = idle.Snapshot.State } : snapshot);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool IsIdle(CustomResourceSnapshot snapshot) =>
        KnownResourceStates.TerminalStates.Contains(snapshot.State?.Text);
}
