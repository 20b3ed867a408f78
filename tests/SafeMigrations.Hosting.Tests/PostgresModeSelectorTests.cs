using SafeMigrations.Hosting;
using LocalPostgres;

namespace SafeMigrations.Hosting.Tests;

/// <summary>How <c>Postgres:Mode</c> resolves, with the probes faked: nothing is started or asked.</summary>
public sealed class PostgresModeSelectorTests
{
    private static readonly LocalPostgresInstallation Installed = new("/opt/pg/bin", 16);

    private static PostgresModeDecision Decide(string? mode, string? engineProblem, LocalPostgresInstallation? local, bool isRunMode = true) =>
        PostgresModeSelector.Decide(mode, isRunMode, () => engineProblem, () => local);

    private static Func<T> MustNotBeAsked<T>() => () => throw new Xunit.Sdk.XunitException("this probe must not be asked");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Auto")]
    [InlineData("auto")]
    public void Auto_takes_the_container_engine_when_it_answers_without_looking_for_binaries(string? mode)
    {
        var decision = PostgresModeSelector.Decide(mode, isRunMode: true, () => null, MustNotBeAsked<LocalPostgresInstallation?>());

        Assert.Equal(PostgresMode.Container, decision.Mode);
        Assert.False(decision.NothingAvailable);
    }

    [Fact]
    public void Auto_falls_back_to_local_binaries_when_no_engine_answers_and_says_why()
    {
        var decision = Decide(null, "'docker info' failed (Cannot connect to the Docker daemon)", Installed);

        Assert.Equal(PostgresMode.Local, decision.Mode);
        Assert.Same(Installed, decision.Installation);
        Assert.Contains("'docker info' failed", decision.Reason);
        Assert.Contains("PostgreSQL 16", decision.Reason);
        Assert.Contains("/opt/pg/bin", decision.Reason);
    }

    [Fact]
    public void Auto_with_neither_stays_on_container_and_says_what_to_install()
    {
        var decision = Decide(null, "'docker' is not installed", local: null);

        Assert.Equal(PostgresMode.Container, decision.Mode);
        Assert.True(decision.NothingAvailable);
        Assert.Contains("Docker", decision.Reason);
        Assert.Contains("PostgreSQL server package", decision.Reason);
    }

    [Fact]
    public void Container_is_taken_as_configured_without_probing()
    {
        var decision = PostgresModeSelector.Decide("Container", isRunMode: true, MustNotBeAsked<string?>(), MustNotBeAsked<LocalPostgresInstallation?>());

        Assert.Equal(PostgresMode.Container, decision.Mode);
    }

    [Fact]
    public void Local_is_taken_as_configured_without_asking_the_engine()
    {
        var decision = PostgresModeSelector.Decide("local", isRunMode: true, MustNotBeAsked<string?>(), () => Installed);

        Assert.Equal(PostgresMode.Local, decision.Mode);
        Assert.Same(Installed, decision.Installation);
    }

    [Fact]
    public void Local_without_binaries_is_a_clear_error()
    {
        var error = Assert.Throws<SafeMigrationsSettingException>(() => Decide("Local", engineProblem: null, local: null));

        Assert.Contains("no PostgreSQL server binaries were found", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Auto")]
    [InlineData("Azure")]
    public void Publishing_deploys_Azure_Database_for_PostgreSQL_without_probing(string? mode)
    {
        var decision = PostgresModeSelector.Decide(mode, isRunMode: false, MustNotBeAsked<string?>(), MustNotBeAsked<LocalPostgresInstallation?>());

        Assert.Equal(PostgresMode.Azure, decision.Mode);
    }

    [Fact]
    public void Publishing_the_container_is_refused_without_the_opt_in_and_taken_with_it()
    {
        var refused = Assert.Throws<SafeMigrationsSettingException>(() => Decide("Container", null, Installed, isRunMode: false));
        var decision = PostgresModeSelector.Decide("Container", isRunMode: false, MustNotBeAsked<string?>(), MustNotBeAsked<LocalPostgresInstallation?>(),
            ephemeralCloudDatabase: true);

        Assert.Contains("without durable storage", refused.Message);
        Assert.Contains("Postgres:EphemeralCloudDatabase=true", refused.Message);
        Assert.Equal(PostgresMode.Container, decision.Mode);
    }

    [Fact]
    public void Azure_is_refused_in_run_mode_with_what_to_use_instead()
    {
        var error = Assert.Throws<SafeMigrationsSettingException>(() => Decide("Azure", null, Installed));

        Assert.Equal("Postgres:Mode=Azure is provisioned by azd when publishing; to run against an Azure server, use External with its connection strings.",
            error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void External_is_taken_as_configured_in_run_and_publish_mode_without_probing(bool isRunMode)
    {
        var decision = PostgresModeSelector.Decide("External", isRunMode, MustNotBeAsked<string?>(), MustNotBeAsked<LocalPostgresInstallation?>());

        Assert.Equal(PostgresMode.External, decision.Mode);
    }

    [Fact]
    public void Publishing_local_binaries_is_refused()
    {
        var error = Assert.Throws<SafeMigrationsSettingException>(() => Decide("Local", null, Installed, isRunMode: false));

        Assert.Contains("cannot be deployed", error.Message);
    }

    [Theory]
    [InlineData("Docker")]
    [InlineData("3")]
    public void Unknown_mode_is_refused_with_the_valid_ones(string mode)
    {
        var error = Assert.Throws<SafeMigrationsSettingException>(() => Decide(mode, null, Installed));

        Assert.Contains("Auto, Container, Local, Azure, External", error.Message);
        Assert.Contains(mode, error.Message);
    }
}
