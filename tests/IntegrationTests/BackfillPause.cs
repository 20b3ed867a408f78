using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Stops a migration's backfill at the rows a condition picks, on an advisory lock the test holds, so that a kill lands
/// inside it for certain, with no timing involved. (A row lock would not do: it would block the migration's
/// ALTER TABLE before the backfill.) Installed as a BEFORE UPDATE trigger on <c>Todos</c>.
/// </summary>
public sealed class BackfillPause : IAsyncDisposable
{
    private readonly NpgsqlConnection _holder;
    private readonly long _key;

    private BackfillPause(NpgsqlConnection holder, long key) => (_holder, _key) = (holder, key);

    /// <summary>Pauses every update of a row for which <paramref name="rowCondition"/> (on <c>NEW</c>) holds, until released.</summary>
    public static async Task<BackfillPause> InstallAsync(string connectionString, string rowCondition, long key)
    {
        var holder = await Database.OpenAsync(connectionString, "test-pause");
        await Database.ExecuteAsync(holder, $"""
            CREATE FUNCTION pause_backfill() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {rowCondition} THEN
                    PERFORM pg_advisory_lock({key});
                    PERFORM pg_advisory_unlock({key});
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER pause_backfill BEFORE UPDATE ON "Todos" FOR EACH ROW EXECUTE FUNCTION pause_backfill();
            SELECT pg_advisory_lock({key});
            """);
        return new BackfillPause(holder, key);
    }

    /// <summary>Lets the paused update, and every later one, go on.</summary>
    public Task ReleaseAsync() => Database.ExecuteAsync(_holder, $"SELECT pg_advisory_unlock({_key})");

    public ValueTask DisposeAsync() => _holder.DisposeAsync();
}
