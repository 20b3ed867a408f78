using System.Diagnostics;

namespace IntegrationTests;

/// <summary>Whether a container engine answers, asked once per test run the way Aspire will use it (the docker CLI).</summary>
public static class ContainerEngine
{
    private static readonly Lazy<string?> Problem = new(FindProblem);

    /// <summary>
    /// Skips the calling test, saying why, when no engine answers — except under CI (<c>CI=true</c>), where every test
    /// must run, so the test fails instead.
    /// </summary>
    public static void Require()
    {
        if (Problem.Value is not { } problem)
        {
            return;
        }

        var message = $"No container engine: {problem}. Start Docker (see README, Troubleshooting).";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    private static string? FindProblem()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            if (!docker.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                docker.Kill(entireProcessTree: true);
                return "'docker info' did not answer within 20 s";
            }

            return docker.ExitCode == 0 ? null : $"'docker info' failed: {docker.StandardError.ReadToEnd().Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "the 'docker' command is not installed";
        }
    }
}
