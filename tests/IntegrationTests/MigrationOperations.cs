using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace IntegrationTests;

/// <summary>Runs a migration step's operations as EF Core's migrator does (each inside or outside a transaction, as it says), with no worker.</summary>
public static class MigrationOperations
{
    private const string Provider = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Applies what <paramref name="step"/> adds to a migration builder; <paramref name="notices"/> hears the server's notices.</summary>
    public static async Task ApplyAsync(string connectionString, Action<MigrationBuilder> step, NoticeEventHandler? notices = null)
    {
        var builder = new MigrationBuilder(Provider);
        step(builder);
        await using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(connectionString).Options);
        if (notices is not null)
        {
            ((NpgsqlConnection)context.Database.GetDbConnection()).Notice += notices;
        }

        var commands = context.GetService<IMigrationsSqlGenerator>().Generate(builder.Operations);
        await context.GetService<IMigrationCommandExecutor>().ExecuteNonQueryAsync(commands, context.GetService<IRelationalConnection>(),
            TestContext.Current.CancellationToken);
    }
}
