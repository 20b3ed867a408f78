using System.Globalization;
using LocalPostgres;
using Microsoft.Extensions.DependencyInjection;

namespace IntegrationTests;

/// <summary>
/// Freezes the graph's PostgreSQL server and thaws it again: while frozen the server still accepts connections (the
/// kernel completes each TCP handshake) but never answers one — what a paused VM, a network partition or a failover
/// looks like to a client. Container mode pauses the container (<c>docker pause</c>); Local mode stops the postmaster
/// and every backend with SIGSTOP.
/// </summary>
public static class PostgresFreeze
{
    private const string Server = "postgres";

    /// <summary>Freezes the server; disposing the result thaws it.</summary>
    public static async Task<IAsyncDisposable> FreezeAsync(DistributedApplication app)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == Server);
        return resource switch
        {
            PostgresServerResource => await PausedContainer.PauseAsync(await PostgresStopStart.ContainerRuntimeCommandAsync(app), SnapshotProperty(app, "container.id")),
            LocalPostgresServerResource => await StoppedProcesses.StopAsync(int.Parse(SnapshotProperty(app, "executable.pid"), CultureInfo.InvariantCulture)),
            var other => throw new InvalidOperationException($"Unexpected server resource {other.GetType().Name}."),
        };
    }

    private static string SnapshotProperty(DistributedApplication app, string name)
    {
        Assert.True(app.ResourceNotifications.TryGetCurrentState(Server, out var server), $"No state for {Server}.");
        return server.Snapshot.Properties.SingleOrDefault(p => p.Name == name)?.Value?.ToString()
            ?? throw new InvalidOperationException($"{Server} has no '{name}' yet.");
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var result = await ChildProcess.RunAsync(program, arguments);
        Assert.True(result.ExitCode == 0, $"'{program} {string.Join(' ', arguments)}' failed: {result.Output}");
    }

    private sealed class PausedContainer(string runtime, string containerId) : IAsyncDisposable
    {
        public static async Task<PausedContainer> PauseAsync(string runtime, string containerId)
        {
            await RunAsync(runtime, "pause", containerId);
            return new PausedContainer(runtime, containerId);
        }

        public ValueTask DisposeAsync() => new(RunAsync(runtime, "unpause", containerId));
    }

    /// <summary>The postmaster first (so it forks no new backend), then its children: backends and background workers.</summary>
    private sealed class StoppedProcesses(int[] pids) : IAsyncDisposable
    {
        public static async Task<StoppedProcesses> StopAsync(int postmaster)
        {
            await RunAsync("kill", "-STOP", Pid(postmaster));
            var children = ChildrenOf(postmaster);
            if (children.Length > 0)
            {
                await RunAsync("kill", ["-STOP", .. children.Select(Pid)]);
            }

            return new StoppedProcesses([.. children, postmaster]);
        }

        // Children first: a postmaster that resumed before its backends could take a stopped backend for a hung one.
        public ValueTask DisposeAsync() => new(RunAsync("kill", ["-CONT", .. pids.Select(Pid)]));

        private static string Pid(int pid) => pid.ToString(CultureInfo.InvariantCulture);

        /// <summary>The processes whose parent is <paramref name="parent"/>, from <c>/proc/*/stat</c> (field 4, after the name in parentheses).</summary>
        private static int[] ChildrenOf(int parent) =>
            [.. Directory.EnumerateDirectories("/proc")
                .Select(Path.GetFileName)
                .Where(name => name!.All(char.IsAsciiDigit))
                .Select(name => (Pid: int.Parse(name!, CultureInfo.InvariantCulture), Stat: ReadStat(name!)))
                .Where(process => process.Stat is not null
                    && int.Parse(process.Stat[(process.Stat.LastIndexOf(')') + 2)..].Split(' ')[1], CultureInfo.InvariantCulture) == parent)
                .Select(process => process.Pid)];

        private static string? ReadStat(string pid)
        {
            try
            {
                return File.ReadAllText($"/proc/{pid}/stat");
            }
            catch (IOException)
            {
                return null; // the process ended meanwhile
            }
        }
    }
}
