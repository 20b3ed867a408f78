using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// A worker given a login that may act as the database's owner role but may not create roles — the
/// <c>&lt;database&gt;_migrator</c> login the bootstrap creates (<see cref="BootstrapSql"/>), or any login like it — rather
/// than the admin's. It changes the schema as the owner role and nothing more: the roles, their passwords, their
/// connection limit and the database's and schema <c>public</c>'s grants are the bootstrap's, so the worker verifies
/// them instead of setting them up (<see cref="DatabaseRoles"/>). For a worker that runs inside an internet-facing app's
/// deployment (an init container), so that the app need not hold the admin's credential (docs/least-privilege.md).
/// </summary>
/// <remarks>
/// Every session of such a worker acts as the owner role from the start (<see cref="ActAsOwnerAsync"/>): the login
/// itself holds no privilege (it does not inherit the owner's), so reading the history, creating the migration lock's
/// table and taking the lock all happen as the owner.
/// </remarks>
internal static class MigratorLogin
{
    // One row when the session's login may not create roles (nor is a superuser) but may act as the role @owner.
    private const string Detect = """
        SELECT FROM pg_roles l, pg_roles o
        WHERE l.rolname = session_user AND o.rolname = @owner AND NOT (l.rolsuper OR l.rolcreaterole)
          AND pg_has_role(session_user, o.oid, CASE WHEN current_setting('server_version_num')::int >= 160000 THEN 'SET' ELSE 'MEMBER' END)
        """;

    /// <summary>Whether the session's login is a migrator login of the owner role <paramref name="owner"/> (see the summary).</summary>
    public static async Task<bool> IsMigratorAsync(NpgsqlConnection connection, string owner, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(Detect, connection);
        command.Parameters.AddWithValue("owner", owner);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken);
    }

    /// <summary>
    /// On a migrator login's session, acts as the database's owner role (<c>SET ROLE</c>); on any other (the admin's),
    /// does nothing. Right after a connection of the worker opens.
    /// </summary>
    /// <returns>Whether the session is a migrator login's.</returns>
    public static async Task<bool> ActAsOwnerAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var owner = DatabaseRoleNames.OwnerOf(connection.Database);
        if (!await IsMigratorAsync(connection, owner, cancellationToken))
        {
            return false;
        }

        await using var setRole = new NpgsqlCommand($"SET ROLE {PostgresIdentifier.Quote(owner)}", connection);
        await setRole.ExecuteNonQueryAsync(cancellationToken);
        return true;
    }
}
