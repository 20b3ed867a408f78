using System.Runtime.CompilerServices;

namespace TestSupport;

/// <summary>
/// Turns off configuration reload on file change for every host of a test process: the AppHosts the tests build in it
/// and, through the environment they inherit, the processes they start (the worker, the web app, the publisher). A host
/// that reloads keeps one inotify instance per folder it watches until it is disposed, and a new Linux machine allows
/// 128 per user: test projects run in parallel, each building many AppHosts, and ran out of them there. No test changes
/// a configuration file under a running host, so nothing is lost.
/// </summary>
internal static class NoConfigurationReload
{
    /// <summary>The host setting (<c>hostBuilder:reloadConfigOnChange</c>) as the environment variable hosts read.</summary>
    public const string Variable = "DOTNET_hostBuilder__reloadConfigOnChange";

    [ModuleInitializer]
    internal static void Apply() => Environment.SetEnvironmentVariable(Variable, "false");
}
