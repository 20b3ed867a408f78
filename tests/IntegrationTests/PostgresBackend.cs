using Aspire.Hosting.LocalPostgres;
using Microsoft.Extensions.Configuration;

namespace IntegrationTests;

/// <summary>
/// Whether the AppHost can start PostgreSQL here, decided as the AppHost decides it (<c>Postgres:Mode</c> from the
/// environment, the container engine, local server binaries). Asked once per test run.
/// </summary>
public static class PostgresBackend
{
    private static readonly Lazy<(PostgresModeDecision? Decision, string? Problem)> Probe = new(Decide);

    /// <summary>The mode the graph runs in, for messages.</summary>
    public static string Mode => Probe.Value.Decision?.Mode.ToString() ?? "none";

    /// <summary>
    /// Skips the calling test, saying why, when neither a container engine nor local binaries can serve — except under
    /// CI (<c>CI=true</c>), where every test must run, so the test fails instead.
    /// </summary>
    public static void Require()
    {
        if (Probe.Value.Problem is not { } problem)
        {
            return;
        }

        var message = $"PostgreSQL cannot start here: {problem}. See README, Troubleshooting.";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
    }

    private static (PostgresModeDecision?, string?) Decide()
    {
        // Asked at most once, of the runtime the AppHost would use: Auto may already have asked.
        var runtime = ContainerRuntimeProbe.RuntimeName(new ConfigurationBuilder().AddEnvironmentVariables().Build());
        var engineProblem = new Lazy<string?>(() => ContainerRuntimeProbe.Problem(runtime));
        try
        {
            var decision = PostgresModeSelector.Decide(Environment.GetEnvironmentVariable("Postgres__Mode"), isRunMode: true,
                () => engineProblem.Value,
                () => LocalPostgresInstallation.Find(Environment.GetEnvironmentVariable("Postgres__BinDirectory")));
            if (decision.NothingAvailable)
            {
                return (decision, decision.Reason);
            }

            // Container chosen by configuration: the engine must answer too.
            if (decision.Mode == PostgresMode.Container && engineProblem.Value is { } problem)
            {
                return (decision, $"Postgres:Mode=Container, but {problem}");
            }

            return (decision, null);
        }
        catch (DistributedApplicationException e)
        {
            return (null, e.Message);
        }
    }
}
