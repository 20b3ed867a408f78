using System.Diagnostics;
using System.Runtime.InteropServices;
using StartupTimeline;

// Runs an AppHost (the command after "--") and prints, as "phase<TAB>seconds" lines, when each phase of its start was
// first seen, until the web app's /health answers 200; then stops the AppHost with SIGTERM. The phases come from the
// process tree below the command (DCP starts each project as "dotnet run --no-build", then the program itself), from
// Aspire's own state-change log lines, and from polling the web app. Usage:
//   StartupTimeline [--timeout <seconds>] [--log <file>] -- dotnet run --project AppHost --no-build -- <AppHost args>
var separator = Array.IndexOf(args, "--");
if (separator < 1 && separator != 0 || separator == args.Length - 1)
{
    Console.Error.WriteLine("Usage: StartupTimeline [--timeout <seconds>] [--log <file>] -- <command> [args]");
    return 2;
}

var options = args[..separator];
var timeout = TimeSpan.FromSeconds(Option("--timeout") is { } seconds ? int.Parse(seconds) : 300);
using var log = Option("--log") is { } logPath ? new StreamWriter(logPath) : StreamWriter.Null;
var timeline = new Timeline();

var start = new ProcessStartInfo(args[separator + 1]) { RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var argument in args[(separator + 2)..])
{
    start.ArgumentList.Add(argument);
}

// Aspire logs each resource's state changes at Debug; one line per entry makes them easy to match.
start.Environment["Logging__LogLevel__Aspire.Hosting.ApplicationModel.ResourceNotificationService"] = "Debug";
start.Environment["Logging__Console__FormatterName"] = "systemd";

using var command = Process.Start(start)!;
command.OutputDataReceived += (_, e) => OnLine(e.Data);
command.ErrorDataReceived += (_, e) => OnLine(e.Data);
command.BeginOutputReadLine();
command.BeginErrorReadLine();

using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
string? webUrl = null;
var workerSeen = false;
while (!timeline.Has(Phase.WebHealthy))
{
    if (timeline.Elapsed > timeout || command.HasExited)
    {
        Console.Error.WriteLine(command.HasExited
            ? $"The AppHost exited with code {command.ExitCode} before the web app was healthy."
            : $"The web app was not healthy after {timeout.TotalSeconds:0} s.");
        timeline.Print(Console.Error);
        Stop();
        return 1;
    }

    var tree = ProcessTree.Descendants(command.Id);
    foreach (var process in tree.Where(p => p.ResourceName is not null))
    {
        var (launched, running) = process.ResourceName == "migrations"
            ? (Phase.WorkerLaunched, Phase.WorkerRunning)
            : (Phase.WebLaunched, Phase.WebRunning);
        timeline.Mark(process.IsDotnetRun ? launched : running);
        if (process.ResourceName == "webapp" && !process.IsDotnetRun && webUrl is null)
        {
            webUrl = process.Environment.GetValueOrDefault("ASPNETCORE_URLS")?.Split(';')[0].Replace("localhost", "127.0.0.1");
        }
    }

    workerSeen |= tree.Any(p => p.ResourceName == "migrations");
    if (workerSeen && !tree.Any(p => p.ResourceName == "migrations"))
    {
        timeline.Mark(Phase.WorkerExited);
    }

    if (webUrl is not null)
    {
        if (!timeline.Has(Phase.WebAlive) && await AnswersOkAsync("/alive"))
        {
            timeline.Mark(Phase.WebAlive);
        }

        if (await AnswersOkAsync("/health"))
        {
            timeline.Mark(Phase.WebHealthy);
        }
    }

    await Task.Delay(50);
}

timeline.Print(Console.Out);
Stop();
return 0;

void OnLine(string? line)
{
    if (line is null)
    {
        return;
    }

    timeline.MarkFromAspireLog(line);
    lock (log)
    {
        log.WriteLine($"{timeline.Elapsed.TotalSeconds,8:0.000} {line}");
    }
}

async Task<bool> AnswersOkAsync(string path)
{
    try
    {
        using var response = await http.GetAsync(webUrl + path);
        return response.IsSuccessStatusCode;
    }
    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
    {
        return false;
    }
}

// SIGTERM to the AppHost program (below "dotnet run"), as a developer's Ctrl+C would stop it, then to the command.
void Stop()
{
    var appHost = ProcessTree.Descendants(command.Id)
        .Where(p => p.ResourceName is null && !p.IsDotnetRun && p.CommandLine.Contains("AppHost", StringComparison.Ordinal))
        .Select(p => p.Id).FirstOrDefault();
    foreach (var id in new[] { appHost, command.Id }.Where(id => id > 0))
    {
        _ = Signal.Kill(id, Signal.Terminate);
        if (command.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            break;
        }
    }

    command.WaitForExit();
}

string? Option(string name) => Array.IndexOf(options, name) is var i and >= 0 && i + 1 < options.Length ? options[i + 1] : null;

/// <summary>Sends a POSIX signal (.NET can receive them but not send one other than SIGKILL).</summary>
internal static partial class Signal
{
    public const int Terminate = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, int signal);
}
