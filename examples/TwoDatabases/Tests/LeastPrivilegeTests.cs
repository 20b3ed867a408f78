using Npgsql;

namespace Tests;

/// <summary>Each database's web role, as the API logs in: rows of its own database only, and no way into the other.</summary>
[Collection(StartedGraphCollection.Name)]
public sealed class LeastPrivilegeTests(StartedGraph graph)
{
    [Theory]
    [InlineData("ordersdb-web", """INSERT INTO "Orders" ("Customer", "Total", "PlacedAt") VALUES ('probe', 1, now()) RETURNING "Id" """, """DELETE FROM "Orders" WHERE "Customer" = 'probe'""")]
    [InlineData("accountsdb-web", """INSERT INTO "AspNetRoles" ("Id", "Name") VALUES ('probe', 'probe') RETURNING 1""", """DELETE FROM "AspNetRoles" WHERE "Id" = 'probe'""")]
    public async Task Web_role_reads_and_writes_rows_of_its_database_and_reads_its_history(string webLogin, string insert, string delete)
    {
        await using var connection = await graph.App.OpenAsync(webLogin);

        Assert.Single(await connection.QueryAsync<int>(insert));
        await connection.ExecuteAsync(delete);
        // Readiness reads the history: the role may.
        var history = webLogin == "ordersdb-web" ? Migrations.Orders : Migrations.Accounts;
        Assert.Equal(history, await connection.QueryAsync<string>("""SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1"""));
    }

    [Theory]
    [InlineData("ordersdb-web", """CREATE TABLE "Intruder" (id int)""")]
    [InlineData("ordersdb-web", """ALTER TABLE "Orders" ADD "Intruder" int""")]
    [InlineData("ordersdb-web", """DROP TABLE "Orders" """)]
    [InlineData("ordersdb-web", """DELETE FROM "__EFMigrationsHistory" """)]
    [InlineData("accountsdb-web", """CREATE TABLE "Intruder" (id int)""")]
    [InlineData("accountsdb-web", """ALTER TABLE "AspNetUsers" ADD "Intruder" int""")]
    [InlineData("accountsdb-web", """TRUNCATE "AspNetUsers" """)]
    [InlineData("accountsdb-web", """DELETE FROM "__EFMigrationsHistory" """)]
    public async Task Web_role_may_not_change_the_schema_or_the_history(string webLogin, string statement)
    {
        await using var connection = await graph.App.OpenAsync(webLogin);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.ExecuteAsync(statement));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Theory]
    [InlineData("ordersdb-web", "accountsdb")]
    [InlineData("accountsdb-web", "ordersdb")]
    public async Task Web_role_cannot_connect_to_the_other_database(string webLogin, string otherDatabase)
    {
        var login = new NpgsqlConnectionStringBuilder(await graph.App.GetConnectionStringAsync(webLogin, TestContext.Current.CancellationToken))
        {
            Database = otherDatabase,
        };
        await using var connection = new NpgsqlConnection(login.ConnectionString);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync(TestContext.Current.CancellationToken));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        Assert.Contains($"permission denied for database \"{otherDatabase}\"", refused.MessageText);
    }
}
