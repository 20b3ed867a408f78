using Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;
using SafeMigrations.Locks;
using SafeMigrations.Worker;

namespace IntegrationTests;

/// <summary>
/// Locks observed, not guessed: every operation of the solution's migrations after the first is run on a filled copy,
/// and PostgreSQL reports the table locks its session holds (<c>pg_locks</c>) and whether the table was rewritten (its
/// <c>relfilenode</c> changed). What <see cref="MigrationLocks"/> expects — what <c>--plan</c> and the lock budget
/// use — must be exactly that, per operation and table. A statement that cannot run inside a transaction
/// (<c>CONCURRENTLY</c>, a <c>DO</c> block that commits) is observed from another session while a transaction holding
/// a snapshot and a row lock keeps it waiting with its locks taken.
/// </summary>
public sealed class ObservedLocksTests(PostgresServer server)
{
    private const string TableLocks = """
        SELECT c.relname::text, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        WHERE l.pid = {0} AND l.locktype = 'relation' AND l.granted AND c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
        """;

    [Fact]
    public async Task Each_operation_takes_the_locks_and_rewrites_the_plan_expects()
    {
        var db = await server.NewDatabaseAsync();
        Assert.Equal(ExitCodes.Success, (await WorkerProcess.RunAsync(db, "--target", Migrations.Names[0])).ExitCode);
        await using var session = await Database.OpenAsync(db, "observed-locks");
        await Database.ExecuteAsync(session, """INSERT INTO "Todos" ("Title", "IsDone") SELECT 'to-do ' || n, n % 2 = 0 FROM generate_series(1, 1000) n""");

        await using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(db).Options);
        var assembly = context.GetService<IMigrationsAssembly>();
        var generator = context.GetService<IMigrationsSqlGenerator>();
        var observedOperations = 0;
        foreach (var id in Migrations.Ids.Skip(1))
        {
            var migration = assembly.CreateMigration(assembly.Migrations[id], context.Database.ProviderName!);
            var model = context.GetService<IModelRuntimeInitializer>().Initialize(migration.TargetModel);
            foreach (var operation in migration.UpOperations)
            {
                var steps = new List<LockStep>();
                foreach (var step in MigrationLocks.Of([operation]))
                {
                    // A DROP INDEX names only the index: its table, as the plan finds it, from the catalog (none: nothing to drop, no lock).
                    if (step is { Table: "", Index: { } index })
                    {
                        if ((await Database.QueryAsync<string>(session,
                                $"SELECT indrelid::regclass::text FROM pg_index WHERE indexrelid = to_regclass('\"{index}\"')")).SingleOrDefault() is { } table)
                        {
                            steps.Add(step.OnTable(null, table.Trim('"')));
                        }

                        continue;
                    }

                    steps.Add(step);
                }

                var expected = Strongest(steps.Select(s => (s.Table, s.Lock, Rewrite: s.Work == TableWork.Rewrite)));
                var observed = new List<(string Table, TableLockMode Lock, bool Rewrite)>();
                foreach (var command in generator.Generate([operation], model))
                {
                    observed.AddRange(await ObserveAsync(db, session, command));
                }

                Assert.True(expected.SequenceEqual(Strongest(observed)),
                    $"{Migrations.NameOf(id)}, {operation.GetType().Name}: expected [{string.Join("; ", expected)}], observed [{string.Join("; ", Strongest(observed))}]");
                observedOperations++;
            }
        }

        Assert.True(observedOperations >= 10, $"only {observedOperations} operations were observed");
    }

    /// <summary>Runs <paramref name="command"/> on <paramref name="session"/> and returns the table locks it held and the tables it rewrote.</summary>
    private static async Task<List<(string, TableLockMode, bool)>> ObserveAsync(string db, NpgsqlConnection session, MigrationCommand command)
    {
        var files = await FilesAsync(session);
        List<(string Table, string Mode)> held;
        if (RunsInTransaction(command.CommandText))
        {
            await using var transaction = await session.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var run = new NpgsqlCommand(command.CommandText, session, transaction))
            {
                await run.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            held = await LocksAsync(session, "pg_backend_pid()");
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }
        else
        {
            held = await ObserveWhileBlockedAsync(db, session, command.CommandText);
        }

        var rewritten = (await FilesAsync(session)).Where(f => files.TryGetValue(f.Key, out var before) && before != f.Value).Select(f => f.Key).ToHashSet();
        return [.. held.Select(l => (l.Table, Enum.Parse<TableLockMode>(l.Mode[..^"Lock".Length]), rewritten.Contains(l.Table)))];
    }

    /// <summary>
    /// A statement that must run outside a transaction, observed from a third session while a transaction holding a
    /// REPEATABLE READ snapshot and a row lock keeps it waiting (CREATE/DROP INDEX CONCURRENTLY wait for older
    /// snapshots, an UPDATE for the row): by then it holds its table lock.
    /// </summary>
    private static async Task<List<(string, string)>> ObserveWhileBlockedAsync(string db, NpgsqlConnection session, string sql)
    {
        var pid = (await Database.QueryAsync<int>(session, "SELECT pg_backend_pid()")).Single();
        await using var blocker = await Database.OpenAsync(db, "observed-locks-blocker");
        await using var observer = await Database.OpenAsync(db, "observed-locks-observer");
        await using var hold = await blocker.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, TestContext.Current.CancellationToken);
        await using (var rowLock = new NpgsqlCommand("""SELECT "Id" FROM "Todos" ORDER BY "Id" LIMIT 1 FOR UPDATE""", blocker, hold))
        {
            await rowLock.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }

        await using var run = new NpgsqlCommand(sql, session) { CommandTimeout = 120 };
        var running = run.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        var held = new List<(string, string)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!running.IsCompleted && !deadline.IsCancellationRequested)
        {
            // Waiting for the blocker (a lock not granted, or a snapshot's virtual transaction): its own locks are taken.
            if ((await Database.QueryAsync<bool>(observer, $"SELECT coalesce(wait_event_type = 'Lock', false) FROM pg_stat_activity WHERE pid = {pid}")).SingleOrDefault())
            {
                held = await LocksAsync(observer, pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
                break;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        var state = (await Database.QueryAsync<string>(observer,
            $"SELECT coalesce(state, '') || ' ' || coalesce(wait_event_type, '') || ' ' || coalesce(wait_event, '') FROM pg_stat_activity WHERE pid = {pid}")).SingleOrDefault();
        await hold.RollbackAsync(TestContext.Current.CancellationToken);
        Assert.False(deadline.IsCancellationRequested, $"not seen waiting ({state}): {sql}");
        await running.WaitAsync(TimeSpan.FromMinutes(1), TestContext.Current.CancellationToken);
        return held;
    }

    private static async Task<List<(string, string)>> LocksAsync(NpgsqlConnection connection, string pid)
    {
        await using var command = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, TableLocks, pid), connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var locks = new List<(string, string)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            locks.Add((reader.GetString(0), reader.GetString(1)));
        }

        return locks;
    }

    private static async Task<Dictionary<string, long>> FilesAsync(NpgsqlConnection session)
    {
        var rows = await Database.QueryAsync<string>(session,
            "SELECT relname || '=' || relfilenode FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace");
        return rows.Select(r => r.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    // PostgreSQL refuses CONCURRENTLY inside a transaction block, and a DO block's COMMIT too.
    private static bool RunsInTransaction(string sql) =>
        !sql.Contains("CONCURRENTLY", StringComparison.OrdinalIgnoreCase) && !sql.Contains("COMMIT;", StringComparison.OrdinalIgnoreCase);

    /// <summary>Per table, the strongest lock and whether any step rewrote it; in table order.</summary>
    private static List<(string Table, TableLockMode Lock, bool Rewrite)> Strongest(IEnumerable<(string Table, TableLockMode Lock, bool Rewrite)> locks) =>
        [.. locks.GroupBy(l => l.Table).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Max(l => l.Lock), g.Any(l => l.Rewrite)))];
}
