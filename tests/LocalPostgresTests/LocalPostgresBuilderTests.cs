using LocalPostgres;

namespace LocalPostgresTests;

/// <summary>The integration's model and options: what <c>AddLocalPostgres</c> and its <c>With…</c> methods put in the graph.</summary>
public sealed class LocalPostgresBuilderTests
{
    private static readonly LocalPostgresInstallation Installation = new("/opt/pg/bin", 16);

    // Only the model is inspected: nothing is built or started.
    private static IDistributedApplicationBuilder CreateBuilder() => DistributedApplication.CreateBuilder();

    [Fact]
    public void Server_is_an_executable_on_a_tcp_endpoint_with_a_generated_secret_password()
    {
        var builder = CreateBuilder();

        var server = builder.AddLocalPostgres("pg", Installation).Resource;

        Assert.Equal("pg-password", server.PasswordParameter.Name);
        Assert.True(server.PasswordParameter.Secret);
        Assert.Same(Installation, server.Installation);
        var endpoint = Assert.Single(server.Annotations.OfType<EndpointAnnotation>());
        Assert.Equal(("tcp", "tcp"), (endpoint.Name, endpoint.UriScheme));
        Assert.Equal("Host={pg.bindings.tcp.host};Port={pg.bindings.tcp.port};Username=postgres;Password={pg-password.value}",
            server.ConnectionStringExpression.ValueExpression);
        Assert.Equal(["pg_check"], server.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key));
    }

    [Fact]
    public void A_given_password_parameter_is_used()
    {
        var builder = CreateBuilder();
        var password = builder.AddParameter("my-secret", secret: true);

        var server = builder.AddLocalPostgres("pg", Installation, password).Resource;

        Assert.Same(password.Resource, server.PasswordParameter);
        Assert.DoesNotContain(builder.Resources, r => r.Name == "pg-password");
    }

    [Fact]
    public async Task Postgres_runs_on_the_data_directory_listening_on_loopback_only()
    {
        var builder = CreateBuilder();
        var kept = Path.Combine(Path.GetTempPath(), "kept", "data");

        var server = builder.AddLocalPostgres("pg", Installation).WithDataDirectory(kept).Resource;

        var arguments = await ArgumentsOfAsync(server);
        Assert.Equal(["-D", kept, "-c", "listen_addresses=localhost", "-c", "unix_socket_directories="], arguments[^6..]);
    }

    [Fact]
    public void Data_is_thrown_away_unless_a_data_directory_is_kept()
    {
        var builder = CreateBuilder();
        var kept = Path.Combine(Path.GetTempPath(), "kept", "data");

        var throwaway = builder.AddLocalPostgres("a", Installation).Resource;
        var keeping = builder.AddLocalPostgres("b", Installation).WithDataDirectory(kept).Resource;

        Assert.False(throwaway.KeepsData);
        Assert.StartsWith(Path.Combine(Path.GetTempPath(), "local-postgres-"), throwaway.DataDirectory);
        Assert.True(keeping.KeepsData);
        Assert.Equal(kept, keeping.DataDirectory);
    }

    [Fact]
    public void A_database_is_a_child_resource_with_the_servers_connection_string_and_its_own_health_check()
    {
        var builder = CreateBuilder();
        var server = builder.AddLocalPostgres("pg", Installation);

        var named = server.AddDatabase("appdb").Resource;
        var renamed = server.AddDatabase("other", "other_db").Resource;

        Assert.Same(server.Resource, named.Parent);
        Assert.Equal(("appdb", "other_db"), (named.DatabaseName, renamed.DatabaseName));
        Assert.Equal("{pg.connectionString};Database=appdb", named.ConnectionStringExpression.ValueExpression);
        Assert.Equal(["appdb_check"], named.Annotations.OfType<HealthCheckAnnotation>().Select(h => h.Key));
    }

    [Fact]
    public void Per_user_data_directories_are_per_application_and_major_version()
    {
        var path = LocalPostgresDataDirectory.PerUser("my-app", 16);

        Assert.EndsWith(Path.Combine("my-app", "postgres-16", "data"), path);
        Assert.True(Path.IsPathFullyQualified(path));
        Assert.NotEqual(path, LocalPostgresDataDirectory.PerUser("my-app", 17));
    }

    [Fact]
    public void Arguments_are_checked()
    {
        var builder = CreateBuilder();
        var server = builder.AddLocalPostgres("pg", Installation);

        Assert.Throws<ArgumentNullException>(() => ((IDistributedApplicationBuilder)null!).AddLocalPostgres("pg", Installation));
        Assert.Throws<ArgumentException>(() => builder.AddLocalPostgres(" ", Installation));
        Assert.Throws<ArgumentNullException>(() => builder.AddLocalPostgres("pg2", null!));
        Assert.Throws<ArgumentException>(() => server.WithDataDirectory(""));
        var relative = Assert.Throws<ArgumentException>(() => server.WithDataDirectory("data"));
        Assert.Equal("path", relative.ParamName);
        Assert.Throws<ArgumentException>(() => server.AddDatabase(""));
        Assert.Throws<ArgumentException>(() => server.AddDatabase("db", " "));
        Assert.Throws<ArgumentException>(() => LocalPostgresDataDirectory.PerUser("", 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => LocalPostgresDataDirectory.PerUser("app", 0));
        Assert.Throws<ArgumentException>(() => LocalPostgresInstallation.Inspect(""));
    }

    private static async Task<List<string>> ArgumentsOfAsync(IResource resource)
    {
        var arguments = new List<object>();
        var context = new CommandLineArgsCallbackContext(arguments, resource, TestContext.Current.CancellationToken);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return [.. arguments.Select(a => a.ToString()!)];
    }
}
