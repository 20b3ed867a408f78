using Npgsql;

namespace WebApp;

/// <summary>
/// The web app's bounds on its database connections (section <c>Database</c>). They live here, in the app's own
/// settings, not in the connection string the AppHost or the cloud hands over: the pool size is a budget this app
/// spends (see docs/deploy.md, connection budget), and the timeouts decide how fast it answers 503 when the database is gone.
/// </summary>
public sealed class DatabaseLimits
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Database";

    /// <summary>Connections this process may hold open (Npgsql's <c>Maximum Pool Size</c>; its default is 100).</summary>
    public int MaxPoolSize { get; set; } = 5;

    /// <summary>
    /// How long to wait for a connection, new or from the pool (Npgsql's <c>Timeout</c>; default 15 s); also how long
    /// Npgsql tries to deliver the cancel request of a statement that timed out.
    /// </summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long one statement may run (Npgsql's <c>Command Timeout</c>; default 30 s).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads the section; fails at startup, naming the key, when a value is out of range.</summary>
    public static DatabaseLimits From(IConfiguration configuration)
    {
        var limits = configuration.GetSection(SectionName).Get<DatabaseLimits>() ?? new DatabaseLimits();
        if (limits.MaxPoolSize < 1 || limits.ConnectTimeout < TimeSpan.FromSeconds(1) || limits.CommandTimeout < TimeSpan.FromSeconds(1))
        {
            throw new InvalidOperationException(
                $"{SectionName}:MaxPoolSize must be at least 1, {SectionName}:ConnectTimeout and {SectionName}:CommandTimeout at least 1 second.");
        }

        return limits;
    }

    /// <summary>
    /// <paramref name="connectionString"/> with these limits, which win over the same keywords in it, and without GSS
    /// encryption (see remarks).
    /// </summary>
    /// <remarks>
    /// A statement that times out makes Npgsql send the server a cancel request on a new connection, opened within
    /// <see cref="ConnectTimeout"/>; on a frozen server that attempt runs out, and with GSS encryption at Npgsql's default
    /// (<c>Prefer</c>) it is made a second time without GSS: another <see cref="ConnectTimeout"/> before the request
    /// fails. The web app logs in with a password (over TLS in the cloud) and has no use for GSS (Kerberos) encryption.
    /// </remarks>
    public string? ApplyTo(string? connectionString) => connectionString is null
        ? null
        : new NpgsqlConnectionStringBuilder(connectionString)
        {
            MaxPoolSize = MaxPoolSize,
            Timeout = (int)Math.Ceiling(ConnectTimeout.TotalSeconds),
            CommandTimeout = (int)Math.Ceiling(CommandTimeout.TotalSeconds),
            GssEncryptionMode = GssEncryptionMode.Disable,
        }.ConnectionString;
}
