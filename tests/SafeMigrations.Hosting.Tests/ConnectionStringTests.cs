using Npgsql;

namespace SafeMigrations.Hosting.Tests;

/// <summary>The connection strings the library writes: Npgsql's keywords, literal values escaped, deferred ones in place.</summary>
public sealed class ConnectionStringTests
{
    [Fact]
    public async Task Every_keyword_is_one_Npgsql_reads_and_literal_values_are_escaped()
    {
        var expression = PostgresConnectionString.Create()
            .With(PostgresConnectionString.Host, "db.example")
            .With(PostgresConnectionString.Port, "5433")
            .With(PostgresConnectionString.Database, "odd;name")
            .With(PostgresConnectionString.Username, "user'with\"quotes")
            .With(PostgresConnectionString.Password, "pa;ss")
            .With(PostgresConnectionString.SslMode, "VerifyFull")
            .With(PostgresConnectionString.MaximumPoolSize, "5")
            .Build();

        var parsed = new NpgsqlConnectionStringBuilder(await expression.GetValueAsync(TestContext.Current.CancellationToken));

        Assert.Equal(("db.example", 5433, "odd;name", "user'with\"quotes", "pa;ss", SslMode.VerifyFull, 5),
            (parsed.Host, parsed.Port, parsed.Database, parsed.Username, parsed.Password, parsed.SslMode, parsed.MaxPoolSize));
    }

    [Fact]
    public void A_deferred_value_stays_a_placeholder_of_the_manifest()
    {
        var builder = TestAppHost.Create();
        var password = builder.AddParameter("secret", secret: true);

        var expression = PostgresConnectionString.Create().With(PostgresConnectionString.Username, "app").With(PostgresConnectionString.Password, password.Resource).Build();

        Assert.Equal("Username=app;Password={secret.value}", expression.ValueExpression);
    }
}
