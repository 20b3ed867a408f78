namespace SafeMigrations.Hosting.Tests;

/// <summary>A web login: its own role and secret password on the database's server, or a given connection string.</summary>
public sealed class WebLoginTests
{
    [Fact]
    public void A_login_names_the_databases_web_role_and_a_password_of_its_own()
    {
        var builder = TestAppHost.Create();
        var orders = builder.AddPostgresServer("postgres").AddDatabase("orders", databaseName: "shop_orders");

        var login = Assert.IsType<ConnectionStringResource>(orders.AddWebLogin("orders-web").Resource);

        Assert.Equal("Host={postgres.bindings.tcp.host};Port={postgres.bindings.tcp.port};Database=shop_orders;Username=shop_orders_web;Password={orders-web-password.value}",
            login.ConnectionStringExpression.ValueExpression);
        Assert.True(Assert.Single(builder.Resources.OfType<ParameterResource>(), p => p.Name == "orders-web-password").Secret);
    }

    [Fact]
    public void External_mode_takes_the_login_as_a_connection_string_and_generates_no_password()
    {
        var builder = TestAppHost.Create("--Postgres:Mode=External");

        var login = builder.AddPostgresServer("postgres").AddDatabase("orders").AddWebLogin("orders-web");

        Assert.Equal("{orders-web.connectionString}", login.Resource.ValueExpression);
        Assert.DoesNotContain(builder.Resources, r => r.Name is "postgres" or "orders-web-password");
    }

    [Fact]
    public void A_database_the_library_did_not_add_is_refused_with_what_to_call()
    {
        var builder = TestAppHost.Create();
        var foreign = builder.AddConnectionString("elsewhere");

        var error = Assert.Throws<ArgumentException>(() => foreign.AddWebLogin("elsewhere-web"));

        Assert.StartsWith("'elsewhere' is not a database of AddPostgresServer.", error.Message);
    }

    [Fact]
    public void Arguments_are_guarded()
    {
        var database = TestAppHost.Create().AddPostgresServer("postgres").AddDatabase("appdb");
        var blank = " ";

        Assert.Throws<ArgumentException>(() => database.AddWebLogin(blank));
        Assert.Throws<ArgumentNullException>(() => ((IResourceBuilder<IResourceWithConnectionString>)null!).AddWebLogin("x"));
    }
}
