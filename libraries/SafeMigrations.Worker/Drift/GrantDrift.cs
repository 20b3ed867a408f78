using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The part of <c>--drift</c> about roles: each table the migrations built is owned by the owner role and the web role
/// may read and write its rows and nothing more (no TRUNCATE, REFERENCES or TRIGGER); the history is read-only for the
/// web role, the checksums and the migration lock out of its reach — what <see cref="WebRoleGrants"/> and
/// <see cref="DatabaseRoles"/> set up. Privileges are the effective ones (<c>has_table_privilege</c>: through PUBLIC and
/// memberships too).
/// </summary>
internal static class GrantDrift
{
    private static readonly string[] Privileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
    private static readonly string[] RowPrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];

    private const string TablePrivileges = """
        SELECT pg_get_userbyid(c.relowner)::text,
               has_table_privilege(@web, c.oid, 'SELECT'), has_table_privilege(@web, c.oid, 'INSERT'), has_table_privilege(@web, c.oid, 'UPDATE'),
               has_table_privilege(@web, c.oid, 'DELETE'), has_table_privilege(@web, c.oid, 'TRUNCATE'),
               has_table_privilege(@web, c.oid, 'REFERENCES'), has_table_privilege(@web, c.oid, 'TRIGGER')
        FROM pg_class c WHERE c.oid = to_regclass(@table)
        """;

    /// <param name="context">The context, its connection open.</param>
    /// <param name="names">The database's roles.</param>
    /// <param name="tables">The migrated tables that exist, as <see cref="DriftNames.Table"/> names them, with their quoted names.</param>
    /// <param name="workerTables">This context's history and checksums, and the migration lock, quoted.</param>
    /// <param name="cancellationToken">Cancels the queries.</param>
    public static async Task<List<DriftDifference>> CompareAsync(DbContext context, DatabaseRoleNames names,
        IReadOnlyList<(string Name, string Quoted)> tables, (string History, string Checksums, string Lock) workerTables, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        var differences = new List<DriftDifference>();
        foreach (var role in new[] { names.Owner, names.Web })
        {
            await using var exists = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection);
            exists.Parameters.AddWithValue("role", role);
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                differences.Add(new(role, "role the worker sets up is missing"));
            }
        }

        if (differences.Count > 0)
        {
            return differences;
        }

        var expectations = tables.Select(t => (t.Name, t.Quoted, Owner: (string?)names.Owner, Web: RowPrivileges))
            .Append((Name: Unquoted(workerTables.History), Quoted: workerTables.History, Owner: names.Owner, Web: ["SELECT"]))
            .Append((Name: Unquoted(workerTables.Checksums), Quoted: workerTables.Checksums, Owner: names.Owner, Web: []))
            .Append((Name: Unquoted(workerTables.Lock), Quoted: workerTables.Lock, Owner: null, Web: []));
        foreach (var (name, quoted, owner, web) in expectations)
        {
            await using var command = new NpgsqlCommand(TablePrivileges, connection);
            command.Parameters.AddWithValue("web", names.Web);
            command.Parameters.AddWithValue("table", quoted);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                continue;
            }

            if (owner is not null && reader.GetString(0) != owner)
            {
                differences.Add(new(name, $"owned by {reader.GetString(0)}, not by the owner role {owner}"));
            }

            var held = Privileges.Where((_, i) => reader.GetBoolean(i + 1)).ToList();
            if (web.Except(held).ToList() is { Count: > 0 } lacking)
            {
                differences.Add(new(name, $"the web role {names.Web} lacks {string.Join(", ", lacking)}"));
            }

            if (held.Except(web).ToList() is { Count: > 0 } extra)
            {
                differences.Add(new(name, $"the web role {names.Web} has {string.Join(", ", extra)}, more than the worker grants"));
            }
        }

        return differences;
    }

    // "public"."__EFMigrationsHistory" → __EFMigrationsHistory, as a line names it.
    private static string Unquoted(string quoted) => quoted.Replace("\"public\".", "", StringComparison.Ordinal).Replace("\"", "", StringComparison.Ordinal);
}
