namespace SafeMigrations.Hosting;

/// <summary>Choices of the AppHost about its PostgreSQL server that are not configuration (those are <c>Postgres:*</c>).</summary>
public sealed class PostgresServerOptions
{
    /// <summary>
    /// Local mode keeps its data per user and PostgreSQL major under a folder of this name
    /// (<c>&lt;local app data&gt;/&lt;folder&gt;/postgres-&lt;major&gt;/data</c>); by default the AppHost's application
    /// name, so that two solutions on one machine keep their data apart. <c>Postgres:DataDirectory</c> overrides the path.
    /// </summary>
    public string? LocalDataFolder { get; set; }
}
