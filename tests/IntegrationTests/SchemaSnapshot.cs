using Npgsql;

namespace IntegrationTests;

/// <summary>What a database holds, in comparable form: history, tables and columns, indexes, row counts.</summary>
public static class SchemaSnapshot
{
    public static async Task<string> TakeAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var parts = new List<string>();
        parts.AddRange(await Database.QueryAsync<string>(connection,
            """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name
            """));
        parts.AddRange(await Database.QueryAsync<string>(connection,
            "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY indexname"));
        if (await TableExistsAsync(connection, "__EFMigrationsHistory"))
        {
            parts.AddRange(await Database.QueryAsync<string>(connection,
                """SELECT 'history ' || "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """));
        }

        if (await TableExistsAsync(connection, "Todos"))
        {
            var dueDates = await ColumnExistsAsync(connection, "Todos", "DueDate") ? "count(\"DueDate\")::text" : "'-'";
            parts.AddRange(await Database.QueryAsync<string>(connection,
                $"""SELECT 'todos ' || count(*) || ' with due date ' || {dueDates} FROM "Todos" """));
        }

        return string.Join('\n', parts);
    }

    public static async Task<List<string>> HistoryAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return await TableExistsAsync(connection, "__EFMigrationsHistory")
            ? (await Database.QueryAsync<string>(connection, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY 1"""))
                .Select(Migrations.NameOf).ToList()
            : [];
    }

    public static async Task<bool> ColumnExistsAsync(NpgsqlConnection connection, string table, string column) =>
        (await Database.QueryAsync<long>(connection,
            $"SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name = '{table}' AND column_name = '{column}'"))
        .Single() == 1;

    public static async Task<bool> TableExistsAsync(NpgsqlConnection connection, string table) =>
        (await Database.QueryAsync<long>(connection,
            $"SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_name = '{table}'"))
        .Single() == 1;
}
