using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Runs the statements of the role setup on the worker's connection, each with what it is for, so that a privilege the
/// admin login lacks becomes one line naming it (<see cref="RoleSetupException"/>) rather than a bare 42501.
/// </summary>
/// <param name="connection">An open connection; statements run outside any transaction, one at a time.</param>
/// <param name="admin">The login the worker connected as, for messages.</param>
internal sealed class RoleSetupCommands(NpgsqlConnection connection, string admin)
{
    private static readonly NpgsqlCommandBuilder Quoting = new();

    /// <summary>A role, schema or database name as an SQL identifier.</summary>
    public static string Quote(string identifier) => Quoting.QuoteIdentifier(identifier);

    /// <param name="purpose">What the statement does and what it needs, completing "may not …".</param>
    public async Task ExecuteAsync(string sql, string purpose, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new RoleSetupException($"The admin login '{admin}' may not {purpose}: {e.MessageText.TrimEnd('.')}.");
        }
    }

    /// <summary>The first column of every row.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
