using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Every connection string the worker reads or derives, through <see cref="NpgsqlConnectionStringBuilder"/> only, and
/// never repeated in a message: it holds the password.
/// </summary>
internal static class WorkerConnectionStrings
{
    /// <summary>What is wrong with <c>ConnectionStrings:<paramref name="name"/></c>, without repeating it; null when it can be used.</summary>
    public static string? Problem(IConfiguration configuration, string name)
    {
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(name)))
        {
            return $"No connection string: set ConnectionStrings__{name} (the AppHost does this for you).";
        }

        return Parse(configuration.GetConnectionString(name)!, name, out _);
    }

    /// <summary>Reads <paramref name="connectionString"/>; a problem in one line when it is malformed (never the string itself).</summary>
    public static string? Parse(string connectionString, string name, out NpgsqlConnectionStringBuilder builder)
    {
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
            return null;
        }
        catch (ArgumentException e)
        {
            builder = new NpgsqlConnectionStringBuilder();
            return $"The connection string '{name}' is not valid: {e.Message}";
        }
    }

    /// <summary>
    /// Another connection of the worker's to the context's server and database, with its credentials and TLS settings,
    /// as <paramref name="change"/> adjusts it. Unpooled unless it says otherwise: closing really closes, so nothing
    /// stays open, idle, after the run (the connection budget counts every session).
    /// </summary>
    public static string Derive(DbContext context, Action<NpgsqlConnectionStringBuilder>? change = null)
    {
        var builder = new NpgsqlConnectionStringBuilder(context.Database.GetConnectionString()) { Pooling = false };
        change?.Invoke(builder);
        return builder.ConnectionString;
    }

    /// <summary>The context's database and server, for messages: <c>database 'appdb' on db.example:5432</c>.</summary>
    public static string Describe(DbContext context)
    {
        var connection = new NpgsqlConnectionStringBuilder(context.Database.GetConnectionString());
        return $"database '{connection.Database}' on {connection.Host}:{connection.Port}";
    }

    /// <summary>The database the connection string names.</summary>
    public static string? DatabaseOf(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database;
}
