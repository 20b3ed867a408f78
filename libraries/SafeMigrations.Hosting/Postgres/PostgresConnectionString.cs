using System.Data.Common;
using System.Text;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>
/// The one way this library writes a connection string: Npgsql's keywords (those of <c>NpgsqlConnectionStringBuilder</c>),
/// values known now escaped as <see cref="DbConnectionStringBuilder"/> escapes them, values known only later (an allocated
/// port, a generated password, a deployment's output) left to their value providers in a <see cref="ReferenceExpression"/>,
/// which Aspire resolves when the app runs and writes as <c>{…}</c> placeholders into the deployment manifest.
/// </summary>
/// <remarks>
/// A deferred value is inserted as it is resolved, unescaped, as in Aspire's own PostgreSQL connection strings: the
/// generated passwords hold no character a connection string would need to quote.
/// </remarks>
internal sealed class PostgresConnectionString
{
    public const string Host = "Host";
    public const string Port = "Port";
    public const string Database = "Database";
    public const string Username = "Username";
    public const string Password = "Password";
    public const string SslMode = "SSL Mode";
    public const string MaximumPoolSize = "Maximum Pool Size";

    private readonly ReferenceExpressionBuilder _expression = new();

    private PostgresConnectionString()
    {
    }

    /// <summary>An empty connection string.</summary>
    public static PostgresConnectionString Create() => new();

    /// <summary>The connection string of <paramref name="server"/> (in the manifest, <c>{server.connectionString}</c>), to add settings to.</summary>
    public static PostgresConnectionString Extending(IResourceWithConnectionString server)
    {
        var connectionString = new PostgresConnectionString();
        connectionString._expression.AppendValueProvider(server);
        return connectionString;
    }

    /// <summary>Adds <paramref name="keyword"/> with a value known now.</summary>
    public PostgresConnectionString With(string keyword, string value)
    {
        var pair = new StringBuilder();
        DbConnectionStringBuilder.AppendKeyValuePair(pair, keyword, value);
        _expression.AppendLiteral(Separator + pair);
        return this;
    }

    /// <summary>Adds <paramref name="keyword"/> with a value known only later: an endpoint property, a parameter, an output.</summary>
    public PostgresConnectionString With<T>(string keyword, T value) where T : IValueProvider, IManifestExpressionProvider
    {
        _expression.AppendLiteral(Separator + keyword + "=");
        _expression.AppendFormatted(value);
        return this;
    }

    /// <summary>Adds every setting of <paramref name="settings"/>, values known now.</summary>
    public PostgresConnectionString With(IEnumerable<KeyValuePair<string, string>> settings)
    {
        foreach (var (keyword, value) in settings)
        {
            With(keyword, value);
        }

        return this;
    }

    public ReferenceExpression Build() => _expression.Build();

    private string Separator => _expression.IsEmpty ? "" : ";";
}
