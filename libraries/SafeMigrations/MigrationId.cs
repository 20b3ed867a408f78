namespace SafeMigrations;

/// <summary>EF Core's migration ids: a timestamp, an underscore, the name the migration was added with.</summary>
public static class MigrationId
{
    /// <summary><c>20261125172901_AddDueDate</c> → <c>AddDueDate</c>.</summary>
    /// <param name="id">A migration id, as in <c>[Migration("…")]</c> and the history table.</param>
    public static string Name(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id[(id.IndexOf('_') + 1)..];
    }
}
