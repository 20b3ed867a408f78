using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Stops and starts the graph's PostgreSQL server with Aspire's own lifecycle commands (the dashboard's Stop and Start),
/// which do the same in both modes: the container in Container mode, the server process in Local mode.
/// </summary>
public static class PostgresStopStart
{
    private const string Server = "postgres";

    /// <summary>
    /// Makes the server's data outlive a stop: Aspire recreates a container on Start, so in Container mode the data goes
    /// to a volume (named here, removed by <see cref="RemoveVolumeAsync"/>). Local mode restarts the same process on the same
    /// data directory: nothing to do. Returns the volume's name, or null.
    /// </summary>
    public static string? KeepDataAcrossRestarts(IDistributedApplicationTestingBuilder builder)
    {
        if (builder.Resources.OfType<PostgresServerResource>().SingleOrDefault() is not { } container)
        {
            return null;
        }

        var volume = $"aspire-migrations-test-{Guid.NewGuid():N}";
        builder.CreateResourceBuilder(container).WithDataVolume(volume);
        return volume;
    }

    /// <summary>
    /// The command of the container runtime Aspire resolved for <paramref name="app"/> (its <c>Name</c>, lower-cased):
    /// asked while the app still runs, for <see cref="RemoveVolumeAsync"/> after it stopped.
    /// </summary>
    public static async Task<string> ContainerRuntimeCommandAsync(DistributedApplication app)
    {
#pragma warning disable ASPIRECONTAINERRUNTIME001 // public, marked experimental: the one public way to Aspire's runtime choice
        var runtime = await app.Services.GetRequiredService<IContainerRuntimeResolver>().ResolveAsync();
#pragma warning restore ASPIRECONTAINERRUNTIME001
        return runtime.Name.ToLowerInvariant();
    }

    /// <summary>Removes a volume made by <see cref="KeepDataAcrossRestarts"/>, once its container is gone.</summary>
    public static async Task RemoveVolumeAsync(string runtimeCommand, string volume)
    {
        var removal = await ChildProcess.RunAsync(runtimeCommand, ["volume", "rm", "--force", volume]);
        Assert.True(removal.ExitCode == 0, $"'{runtimeCommand} volume rm {volume}' failed: {removal.Output}");
    }

    /// <summary>Stops the server and waits until it has exited.</summary>
    public static async Task StopAsync(DistributedApplication app)
    {
        await ExecuteAsync(app, KnownResourceCommands.StopCommand);
        using var deadline = TestDeadline.Start();
        await app.ResourceNotifications.WaitForResourceAsync(Server,
            e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), deadline.Token);
    }

    /// <summary>Starts the server again and waits until it accepts connections.</summary>
    public static async Task StartAsync(DistributedApplication app)
    {
        await ExecuteAsync(app, KnownResourceCommands.StartCommand);
        await app.WaitForHealthyAsync(Server);
        // Connections this process pooled before the stop (the AppHost's health checks run in it too) are dead: a test
        // that rented one would fail with 57P01 instead of reaching the server.
        NpgsqlConnection.ClearAllPools();
    }

    private static async Task ExecuteAsync(DistributedApplication app, string command)
    {
        using var deadline = TestDeadline.Start();
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(Server, command, deadline.Token);
        Assert.True(result.Success, $"'{command}' on {Server} failed: {result.Message}");
    }
}
