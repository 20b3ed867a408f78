using Microsoft.Extensions.Configuration;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The web app's login, read from the web app's own connection string, <c>ConnectionStrings:appdb-web</c> (the AppHost
/// passes it): the role the worker keeps for the web app (its <c>Username</c>) and the password the worker sets on that
/// role on every run (its <c>Password</c>). Optional: without it the role is <c>&lt;database&gt;_web</c> and its password
/// is left as it is.
/// </summary>
/// <param name="Role">The web app's role.</param>
/// <param name="Password">The password to set; null leaves the role's password as it is.</param>
public sealed record WebLogin(string Role, string? Password)
{
    /// <summary>The connection string's name, as the AppHost's resource is named.</summary>
    public const string ConnectionName = "appdb-web";

    /// <summary>The same, as Aspire also passes it: a name shells accept in an environment variable (<c>ConnectionStrings__appdb_web</c>).</summary>
    public const string ShellConnectionName = "appdb_web";

    /// <summary>
    /// The login configured, or null; or, when it cannot be used, why not in one line that never repeats the
    /// connection string (it holds a password).
    /// </summary>
    public static (WebLogin? Login, string? Problem) Read(IConfiguration configuration)
    {
        if ((configuration.GetConnectionString(ConnectionName) ?? configuration.GetConnectionString(ShellConnectionName))
            is not { Length: > 0 } connectionString)
        {
            return (null, null);
        }

        NpgsqlConnectionStringBuilder web;
        try
        {
            web = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            return (null, $"The connection string '{ConnectionName}' is not valid: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(web.Username))
        {
            return (null, $"The connection string '{ConnectionName}' names no Username: it must name the web app's role.");
        }

        // The grants are made in the database the worker migrates; a web app pointed elsewhere would get none of them.
        var database = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("appdb")).Database;
        if (web.Database is { Length: > 0 } webDatabase && database is { Length: > 0 } && webDatabase != database)
        {
            return (null, $"The connection string '{ConnectionName}' names database '{webDatabase}', but 'appdb' names '{database}': both must name the same one.");
        }

        return (new WebLogin(web.Username, string.IsNullOrEmpty(web.Password) ? null : web.Password), null);
    }

    /// <summary>Never the password: records print their members.</summary>
    public override string ToString() => $"{nameof(WebLogin)} {{ Role = {Role} }}";
}
