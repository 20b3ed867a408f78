namespace SafeMigrations.Worker;

/// <summary>The <c>Migrations:Drift</c> section: <c>--drift</c>, and the objects a team keeps in the database on purpose.</summary>
public sealed class DriftOptions
{
    /// <summary>
    /// Compare the live schema of each context's database with the schema its applied migrations build, print each
    /// difference, and exit 5 when there is any (<c>--drift</c>). Changes nothing.
    /// </summary>
    public bool Check { get; set; }

    /// <summary>
    /// Objects <c>--drift</c> does not report: a table (<c>AuditLog</c>, or <c>schema.Table</c> outside <c>public</c>),
    /// which covers its columns, indexes and constraints, or one of them (<c>Todos.IX_Todos_Hotfix</c>), or a sequence;
    /// exactly as a drift line names it. In the environment: <c>Migrations__Drift__Ignore__0=AuditLog</c>.
    /// </summary>
    public List<string> Ignore { get; set; } = [];
}
