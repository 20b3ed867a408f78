using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// Runs the statements of the role setup on the worker's connection, each with what it is for, so that a privilege the
/// admin login lacks becomes one line naming it (<see cref="PrivilegeMissingException"/>) rather than a bare 42501.
/// </summary>
/// <param name="connection">An open connection; statements run outside any transaction, one at a time.</param>
/// <param name="admin">The login the worker connected as, for messages.</param>
internal sealed class RoleSetupCommands(NpgsqlConnection connection, string admin)
{
    /// <summary>Runs <paramref name="sql"/>; a missing privilege becomes one line saying what the admin may not do.</summary>
    /// <param name="sql">One statement.</param>
    /// <param name="purpose">What the statement does and what it needs, completing "may not …".</param>
    /// <param name="cancellationToken">Cancels the statement.</param>
    public async Task ExecuteAsync(string sql, string purpose, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new PrivilegeMissingException($"The admin login '{admin}' may not {purpose}: {e.MessageText.TrimEnd('.')}. Nothing was migrated.");
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
