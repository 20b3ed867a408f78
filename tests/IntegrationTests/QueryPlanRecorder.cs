using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace IntegrationTests;

/// <summary>
/// Records the plan of every query EF Core sends through a context: just before it, the same text with the same
/// parameters runs under <c>EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)</c> on the same connection, so the plan is the one
/// PostgreSQL makes for the app's real statement. For read-only queries (ANALYZE runs the statement).
/// </summary>
public sealed class QueryPlanRecorder : DbCommandInterceptor
{
    private readonly List<QueryPlan> _plans = [];

    /// <summary>The plans, in the order the queries ran.</summary>
    public IReadOnlyList<QueryPlan> Plans => _plans;

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        await using var explain = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + command.CommandText, (NpgsqlConnection)command.Connection!);
        foreach (NpgsqlParameter parameter in command.Parameters)
        {
            explain.Parameters.Add(parameter.Clone());
        }

        _plans.Add(QueryPlan.Parse((string)(await explain.ExecuteScalarAsync(cancellationToken))!));
        return result;
    }
}
