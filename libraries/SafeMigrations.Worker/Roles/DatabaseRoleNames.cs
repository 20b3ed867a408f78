namespace SafeMigrations.Worker;

/// <summary>
/// The roles of one database, named after it (a server may host several apps, each with its own set), unless the web
/// app's connection string names its role.
/// </summary>
/// <param name="Owner"><c>&lt;database&gt;_owner</c>: owns the schema's objects and cannot log in; migrations run as it.</param>
/// <param name="Web">The web app's login (<c>&lt;database&gt;_web</c> unless <see cref="WebLogin"/> names it): rows only.</param>
/// <param name="Migrator">
/// <c>&lt;database&gt;_migrator</c>: a login that may act as the owner role and do nothing else, for a worker that must not
/// hold the admin's credential (<see cref="MigratorLogin"/>); the bootstrap creates it (<see cref="BootstrapSql"/>).
/// </param>
internal sealed record DatabaseRoleNames(string Owner, string Web, string Migrator)
{
    /// <summary>PostgreSQL cuts longer names short (NAMEDATALEN - 1 bytes), so two different names could become one.</summary>
    public const int MaxLength = 63;

    /// <summary>The roles of <paramref name="database"/>, the web role named by <paramref name="webLogin"/> when there is one.</summary>
    public static DatabaseRoleNames For(string database, WebLogin webLogin) =>
        new(OwnerOf(database), webLogin.Role ?? $"{database}_web", $"{database}_migrator");

    /// <summary>The owner role of <paramref name="database"/>, whoever the web login is.</summary>
    public static string OwnerOf(string database) => $"{database}_owner";

    /// <summary>Why these names cannot be used by <paramref name="admin"/>'s worker, or null.</summary>
    /// <param name="admin">The login the worker connected as.</param>
    /// <param name="webLoginName">The web login's connection string name, for the message.</param>
    public string? Problem(string admin, string webLoginName)
    {
        if (new[] { Owner, Web, Migrator }.FirstOrDefault(name => System.Text.Encoding.UTF8.GetByteCount(name) > MaxLength) is { } tooLong)
        {
            return $"The role name '{tooLong}' is longer than PostgreSQL's {MaxLength} bytes; use a shorter database name or web role.";
        }

        if (Web == admin || Owner == admin)
        {
            return $"The role '{(Web == admin ? Web : Owner)}' is the admin login itself: the web app's login ('{webLoginName}') " +
                "and the owner role must be roles of their own.";
        }

        return Web == Owner ? $"The web app's role cannot be the owner role '{Owner}'." : null;
    }
}
