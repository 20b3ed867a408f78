using Npgsql;

namespace WebApp;

/// <summary>
/// Tells a database that cannot answer (down, unreachable, out of connections, too slow) from a bug: the first is a
/// 503 with <c>Retry-After</c>, which clients and load balancers know to retry; the second stays a 500.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a client should wait before retrying, sent as <c>Retry-After</c> with every 503.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>
    /// True when <paramref name="exception"/>, or one it wraps, is a failure Npgsql calls transient (connection refused
    /// or lost, timeouts, pool exhausted, server shutting down or out of connections), as EF Core wraps them
    /// ("likely due to a transient failure") when retries are off.
    /// </summary>
    public static bool IsCause(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The status for an unhandled exception: 503 for a database outage, 500 otherwise.</summary>
    public static int StatusCodeFor(Exception exception) =>
        IsCause(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
}
