using LocalPostgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// The mode the suite runs in: the one the AppHost recorded in its model, really serving — and under CI the one CI asked
/// for, so that a run meant for the container never passes on local binaries (or the other way round).
/// </summary>
public sealed class PostgresModeTests(PostgresServer server)
{
    [Fact]
    public async Task PostgreSQL_runs_in_the_mode_the_AppHost_recorded_and_under_CI_in_the_mode_CI_set()
    {
        var app = (await server.GetAsync()).App;
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        var decision = model.Resources.PostgresMode();
        TestContext.Current.SendDiagnosticMessage($"PostgreSQL mode: {decision.Mode} ({decision.Reason})");

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            var configured = Environment.GetEnvironmentVariable("Postgres__Mode");
            Assert.True(configured is { Length: > 0 }, "CI must set Postgres__Mode: Auto could pick either mode.");
            Assert.Equal(configured, decision.Mode.ToString(), ignoreCase: true);
        }

        // The server that answers is of the recorded kind: the pinned image's major, or the local binaries' own.
        var postgres = model.Resources.Single(r => r.Name == "postgres");
        int expectedMajor;
        switch (decision.Mode)
        {
            case SafeMigrations.Hosting.PostgresMode.Container:
                var image = Assert.Single(Assert.IsType<PostgresServerResource>(postgres).Annotations.OfType<ContainerImageAnnotation>());
                expectedMajor = int.Parse(new string([.. image.Tag!.TakeWhile(char.IsAsciiDigit)]), System.Globalization.CultureInfo.InvariantCulture);
                break;
            case SafeMigrations.Hosting.PostgresMode.Local:
                expectedMajor = Assert.IsType<LocalPostgresServerResource>(postgres).Installation.MajorVersion;
                Assert.Equal(decision.Installation, ((LocalPostgresServerResource)postgres).Installation);
                break;
            default:
                throw new Xunit.Sdk.XunitException($"The suite starts its own server; it cannot run in {decision.Mode} mode.");
        }

        await using var connection = new NpgsqlConnection((await server.GetAsync()).AppdbConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        Assert.Equal([expectedMajor], await Database.QueryAsync<int>(connection, "SELECT current_setting('server_version_num')::int / 10000"));
    }
}
