using SafeMigrations.Hosting;
using LocalPostgres;

namespace FastTests;

/// <summary>The AppHost's resource graph, inspected without starting anything.</summary>
public sealed class AppModelTests
{
    /// <summary>The model in Container mode unless <paramref name="args"/> say otherwise (later arguments win).</summary>
    internal static async Task<IDistributedApplicationTestingBuilder> CreateModelAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.AppHost>(
            ["--Postgres:Mode=Container", .. args], TestContext.Current.CancellationToken);

    internal static IResource Resource(IDistributedApplicationTestingBuilder builder, string name) =>
        builder.Resources.Single(r => r.Name == name);

    /// <summary>The resource's environment as its callbacks declare it; references stay unevaluated, so nothing starts.</summary>
    internal static async Task<Dictionary<string, object>> EnvironmentOfAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    [Fact]
    public async Task Webapp_waits_for_the_migrations_to_complete()
    {
        await using var builder = await CreateModelAsync();

        var waits = Resource(builder, "webapp").Annotations.OfType<WaitAnnotation>().ToList();

        var wait = Assert.Single(waits, w => w.Resource.Name == "migrations");
        Assert.Equal(WaitType.WaitForCompletion, wait.WaitType);
        Assert.Equal(0, wait.ExitCode);
    }

    [Fact]
    public async Task Migrations_wait_for_the_database()
    {
        await using var builder = await CreateModelAsync();

        var waits = Resource(builder, "migrations").Annotations.OfType<WaitAnnotation>().ToList();

        var wait = Assert.Single(waits, w => w.Resource.Name == "appdb");
        Assert.Equal(WaitType.WaitUntilHealthy, wait.WaitType);
    }

    [Fact]
    public async Task The_worker_gets_the_appdb_connection_string()
    {
        await using var builder = await CreateModelAsync();

        var references = Resource(builder, "migrations").Annotations.OfType<ResourceRelationshipAnnotation>();

        // The web app gets its own login instead: see WebLoginModelTests.
        Assert.Contains(references, r => r.Resource.Name == "appdb" && r.Type == "Reference");
    }

    [Fact]
    public async Task Postgres_image_is_the_official_one_pinned_to_major_17()
    {
        // Empty values mean "default"; they also mask Postgres__* variables that CI sets for its offline image.
        await using var builder = await CreateModelAsync("--Postgres:Registry=", "--Postgres:Image=", "--Postgres:Tag=");

        var image = Resource(builder, "postgres").Annotations.OfType<ContainerImageAnnotation>().Single();

        Assert.Equal("docker.io", image.Registry);
        Assert.Equal("library/postgres", image.Image);
        Assert.Equal("17", image.Tag);
    }

    [Fact]
    public async Task Postgres_image_follows_the_configuration_overrides()
    {
        await using var builder = await CreateModelAsync(
            "--Postgres:Registry=mirror.example:5000", "--Postgres:Image=ci/postgres", "--Postgres:Tag=17-offline");

        var image = Resource(builder, "postgres").Annotations.OfType<ContainerImageAnnotation>().Single();

        Assert.Equal("mirror.example:5000", image.Registry);
        Assert.Equal("ci/postgres", image.Image);
        Assert.Equal("17-offline", image.Tag);
    }

    [Fact]
    public async Task Postgres_is_persistent_by_default_in_run_mode()
    {
        await using var builder = await CreateModelAsync();

        var postgres = Resource(builder, "postgres");

        Assert.Contains(postgres.Annotations.OfType<ContainerMountAnnotation>(),
            m => m.Type == ContainerMountType.Volume && m.Target == "/var/lib/postgresql/data");
        Assert.Equal(ContainerLifetime.Persistent, postgres.Annotations.OfType<ContainerLifetimeAnnotation>().Single().Lifetime);
    }

    [Fact]
    public async Task Postgres_Persistent_false_removes_the_volume_and_the_persistent_lifetime()
    {
        await using var builder = await CreateModelAsync("--Postgres:Persistent=false");

        var postgres = Resource(builder, "postgres");

        Assert.Empty(postgres.Annotations.OfType<ContainerMountAnnotation>());
        Assert.DoesNotContain(postgres.Annotations.OfType<ContainerLifetimeAnnotation>(), l => l.Lifetime == ContainerLifetime.Persistent);
    }

    [Fact]
    public async Task Migrations_Target_is_forwarded_to_the_worker()
    {
        await using var builder = await CreateModelAsync("--Migrations:Target=InitialSchema");

        var environment = await EnvironmentOfAsync(Resource(builder, "migrations"));

        Assert.Equal("InitialSchema", environment["Migrations__Target"]);
    }

    [Fact]
    public async Task The_guards_consents_and_repair_are_forwarded_to_the_worker()
    {
        await using var builder = await CreateModelAsync(
            "--Migrations:Target=0", "--Migrations:AllowDataLoss=true", "--Migrations:AllowOutOfOrder=true", "--Migrations:Repair=true");

        var environment = await EnvironmentOfAsync(Resource(builder, "migrations"));

        Assert.Equal(
            [("Migrations__AllowDataLoss", "true"), ("Migrations__AllowOutOfOrder", "true"), ("Migrations__Repair", "true"), ("Migrations__Target", "0")],
            environment.Where(e => e.Key.StartsWith("Migrations__", StringComparison.Ordinal)).Select(e => (e.Key, (string)e.Value)).Order());
    }

    [Fact]
    public async Task Worker_gets_no_target_unless_one_is_configured()
    {
        await using var builder = await CreateModelAsync("--Migrations:Target=");

        var environment = await EnvironmentOfAsync(Resource(builder, "migrations"));

        Assert.False(environment.ContainsKey("Migrations__Target"));
    }

    [Fact]
    public async Task Postgres_password_is_a_secret_parameter()
    {
        await using var builder = await CreateModelAsync();

        var postgres = (PostgresServerResource)Resource(builder, "postgres");

        Assert.True(postgres.PasswordParameter.Secret);
        Assert.Equal("postgres-password", postgres.PasswordParameter.Name);
    }

    [Fact]
    public async Task Local_mode_runs_the_binaries_as_an_executable_with_the_same_password_parameter()
    {
        using var fake = new FakePostgresInstallation();
        await using var builder = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}");

        var postgres = Assert.IsType<LocalPostgresServerResource>(Resource(builder, "postgres"));
        var appdb = Assert.IsType<LocalPostgresDatabaseResource>(Resource(builder, "appdb"));

        Assert.Equal(fake.BinDirectory, postgres.Installation.BinDirectory);
        Assert.Equal("postgres-password", postgres.PasswordParameter.Name);
        Assert.True(postgres.PasswordParameter.Secret);
        Assert.Empty(postgres.Annotations.OfType<ContainerImageAnnotation>());
        var endpoint = Assert.Single(postgres.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal("tcp", endpoint.Name);
        Assert.Equal("tcp", endpoint.UriScheme);
        Assert.Same(postgres, appdb.Parent);
        Assert.Equal("appdb", appdb.DatabaseName);
        Assert.Contains(postgres.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "postgres_check");
        Assert.Contains(appdb.Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "appdb_check");
        Assert.Contains(Resource(builder, "migrations").Annotations.OfType<WaitAnnotation>(), w => w.Resource == appdb);
    }

    [Fact]
    public async Task External_mode_has_no_server_and_gives_both_services_the_configured_connection_string()
    {
        await using var builder = await CreateModelAsync("--Postgres:Mode=External", "--ConnectionStrings:appdb=Host=db.example;Database=appdb");

        Assert.DoesNotContain(builder.Resources, r => r.Name == "postgres");
        var appdb = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "appdb"));
        Assert.Equal("Host=db.example;Database=appdb", await appdb.GetConnectionStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains(Resource(builder, "migrations").Annotations.OfType<WaitAnnotation>(), w => w.Resource == appdb);
    }

    [Fact]
    public async Task The_mode_decision_is_recorded_on_appdb_for_whoever_reads_the_model()
    {
        using var fake = new FakePostgresInstallation();
        await using var container = await CreateModelAsync();
        await using var local = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}");
        await using var external = await CreateModelAsync("--Postgres:Mode=External", "--ConnectionStrings:appdb=Host=db.example");

        PostgresModeDecision DecisionOf(IDistributedApplicationTestingBuilder builder) =>
            Resource(builder, "appdb").Annotations.OfType<PostgresDatabaseAnnotation>().Single().Decision;

        Assert.Equal(new PostgresModeDecision(PostgresMode.Container, "Postgres:Mode=Container"), DecisionOf(container));
        Assert.Equal(PostgresMode.Local, DecisionOf(local).Mode);
        Assert.Equal(fake.BinDirectory, DecisionOf(local).Installation?.BinDirectory);
        Assert.Equal(PostgresMode.External, DecisionOf(external).Mode);
    }

    [Fact]
    public async Task Local_mode_keeps_data_per_major_version_unless_not_persistent()
    {
        using var fake = new FakePostgresInstallation("postgres (PostgreSQL) 16.4");
        await using var persistent = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}");
        await using var throwaway = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}",
            "--Postgres:Persistent=false");

        var kept = ((LocalPostgresServerResource)Resource(persistent, "postgres")).DataDirectory;
        var temporary = ((LocalPostgresServerResource)Resource(throwaway, "postgres")).DataDirectory;

        Assert.EndsWith(Path.Combine("aspire-migrations", "postgres-16", "data"), kept);
        Assert.StartsWith(Path.GetTempPath(), temporary);
        Assert.NotEqual(kept, temporary);
    }

    [Fact]
    public async Task Local_mode_keeps_data_in_the_configured_data_directory()
    {
        using var fake = new FakePostgresInstallation("postgres (PostgreSQL) 16.4");
        var configured = Path.Combine(Path.GetTempPath(), "kept-elsewhere", "data");
        await using var model = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}",
            $"--Postgres:DataDirectory={configured}");

        Assert.Equal(configured, ((LocalPostgresServerResource)Resource(model, "postgres")).DataDirectory);
    }
}
