using Microsoft.Extensions.Configuration;

namespace SafeMigrations.Worker;

/// <summary>
/// The web app's login to a context's database, read from the web app's own connection string (by default
/// <c>ConnectionStrings:&lt;connection name&gt;-web</c>, which the AppHost passes): the role the worker keeps for the web
/// app (its <c>Username</c>) and the password the worker sets on that role on every run (its <c>Password</c>). Optional:
/// without it the role is <c>&lt;database&gt;_web</c> and its password is left as it is.
/// </summary>
/// <param name="ConnectionName">The connection string it is read from, for messages.</param>
/// <param name="Role">The web app's role; null when none is configured (then <c>&lt;database&gt;_web</c>).</param>
/// <param name="Password">The password to set; null leaves the role's password as it is.</param>
internal sealed record WebLogin(string ConnectionName, string? Role, string? Password)
{
    /// <summary>
    /// The login configured for <paramref name="context"/> (with neither role nor password when none is); or, when it
    /// cannot be used, null and why not in one line that never repeats the connection string (it holds a password).
    /// </summary>
    public static (WebLogin? Login, string? Problem) Read(IConfiguration configuration, MigratedContext context)
    {
        var name = context.WebLoginName;
        // Also as Aspire passes it in the environment: a name shells accept (ConnectionStrings__appdb_web).
        if ((configuration.GetConnectionString(name) ?? configuration.GetConnectionString(name.Replace('-', '_')))
            is not { Length: > 0 } connectionString)
        {
            return (new WebLogin(name, null, null), null);
        }

        if (WorkerConnectionStrings.Parse(connectionString, name, out var web) is { } malformed)
        {
            return (null, malformed);
        }

        if (string.IsNullOrWhiteSpace(web.Username))
        {
            return (null, $"The connection string '{name}' names no Username: it must name the web app's role.");
        }

        // The grants are made in the database the worker migrates; a web app pointed elsewhere would get none of them.
        var database = configuration.GetConnectionString(context.ConnectionName) is { Length: > 0 } admin ? WorkerConnectionStrings.DatabaseOf(admin) : null;
        if (web.Database is { Length: > 0 } webDatabase && database is { Length: > 0 } && webDatabase != database)
        {
            return (null, $"The connection string '{name}' names database '{webDatabase}', but '{context.ConnectionName}' names '{database}': both must name the same one.");
        }

        return (new WebLogin(name, web.Username, string.IsNullOrEmpty(web.Password) ? null : web.Password), null);
    }

    /// <summary>Never the password: records print their members.</summary>
    public override string ToString() => $"{nameof(WebLogin)} {{ Role = {Role} }}";
}
