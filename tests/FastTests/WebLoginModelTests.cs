using LocalPostgres;
using static FastTests.AppModelTests;

namespace FastTests;

/// <summary>The web app's own login in the AppHost's model: a resource, a secret parameter, and who gets what.</summary>
public sealed class WebLoginModelTests
{
    [Fact]
    public async Task Appdb_web_is_the_appdb_web_role_with_its_own_secret_password_parameter()
    {
        await using var builder = await CreateModelAsync();

        var login = Assert.IsType<ConnectionStringResource>(Resource(builder, "appdb-web"));
        var password = Assert.IsType<ParameterResource>(Resource(builder, "appdb-web-password"));

        Assert.True(password.Secret);
        Assert.Equal("Host={0};Port={1};Database=appdb;Username=appdb_web;Password={2}", login.ConnectionStringExpression.Format);
        Assert.Same(password, login.ConnectionStringExpression.ValueProviders[2]);
        Assert.DoesNotContain(login.ConnectionStringExpression.ValueProviders,
            p => p is ParameterResource { Name: "postgres-password" } || p is IResourceWithConnectionString);
        Assert.Contains(login.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Type == "Parent" && r.Resource.Name == "appdb");
    }

    [Fact]
    public async Task Webapp_reads_its_own_login_as_appdb_and_gets_nothing_of_the_admin()
    {
        await using var builder = await CreateModelAsync();

        var webapp = Resource(builder, "webapp");
        var environment = await EnvironmentOfAsync(webapp);

        var connectionString = Assert.IsType<ConnectionStringReference>(environment["ConnectionStrings__appdb"]);
        Assert.Equal("appdb-web", connectionString.Resource.Name);
        // Referencing the database itself would also pass APPDB_PASSWORD and the like: the admin's.
        Assert.DoesNotContain(environment.Keys, key => key.StartsWith("APPDB_", StringComparison.Ordinal));
        Assert.DoesNotContain(webapp.Annotations.OfType<ResourceRelationshipAnnotation>(), r => r.Resource.Name is "appdb" or "postgres");
    }

    [Fact]
    public async Task The_worker_gets_the_admin_login_and_the_web_apps_login()
    {
        await using var builder = await CreateModelAsync();

        var environment = await EnvironmentOfAsync(Resource(builder, "migrations"));

        Assert.Equal("appdb", Assert.IsType<ConnectionStringReference>(environment["ConnectionStrings__appdb"]).Resource.Name);
        Assert.Equal("appdb-web", Assert.IsType<ConnectionStringReference>(environment["ConnectionStrings__appdb-web"]).Resource.Name);
        // Aspire passes it under a name shells accept too; the worker reads either.
        Assert.Equal("appdb-web", Assert.IsType<ConnectionStringReference>(environment["ConnectionStrings__appdb_web"]).Resource.Name);
    }

    [Fact]
    public async Task Local_mode_gives_the_web_app_the_same_login_on_the_local_server()
    {
        using var fake = new FakePostgresInstallation();
        await using var builder = await CreateModelAsync("--Postgres:Mode=Local", $"--Postgres:BinDirectory={fake.BinDirectory}");

        var login = Assert.IsType<ConnectionStringResource>(Resource(builder, "appdb-web"));

        Assert.Contains(login.Annotations.OfType<ResourceRelationshipAnnotation>(),
            r => r.Type == "Parent" && r.Resource is LocalPostgresDatabaseResource { Name: "appdb" });
        Assert.Same(Resource(builder, "appdb-web-password"), login.ConnectionStringExpression.ValueProviders[2]);
        Assert.Equal("Host={0};Port={1};Database=appdb;Username=appdb_web;Password={2}", login.ConnectionStringExpression.Format);
        // The server's endpoint, allocated by Aspire in Local mode as in Container mode.
        Assert.Equal("postgres", Assert.IsType<EndpointReferenceExpression>(login.ConnectionStringExpression.ValueProviders[0]).Endpoint.Resource.Name);
    }

    [Fact]
    public async Task External_mode_takes_the_web_apps_login_from_ConnectionStrings_appdb_web()
    {
        const string web = "Host=db.example;Database=appdb;Username=appdb_web;Password=given";
        await using var builder = await CreateModelAsync("--Postgres:Mode=External",
            "--ConnectionStrings:appdb=Host=db.example;Database=appdb;Username=admin", $"--ConnectionStrings:appdb-web={web}");

        var login = Assert.IsAssignableFrom<IResourceWithConnectionString>(Resource(builder, "appdb-web"));

        Assert.IsNotType<ConnectionStringResource>(login);
        Assert.Equal(web, await login.GetConnectionStringAsync(TestContext.Current.CancellationToken));
        Assert.DoesNotContain(builder.Resources, r => r.Name == "appdb-web-password");
    }

    [Fact]
    public async Task In_run_mode_there_is_no_migrator_login_the_worker_keeps_the_admins()
    {
        await using var builder = await CreateModelAsync();

        Assert.DoesNotContain(builder.Resources, r => r.Name is "appdb-migrator" or "appdb-migrator-password");
        var worker = Resource(builder, "migrations").Annotations.OfType<SafeMigrations.Hosting.MigrationWorkerAnnotation>().Single();
        Assert.Null(Assert.Single(worker.Databases).MigratorLogin);
    }

}
