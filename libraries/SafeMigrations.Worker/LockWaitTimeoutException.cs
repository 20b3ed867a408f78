using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>A lock wait outlasted its budget (exit code 1). The message is the one line the worker prints.</summary>
public sealed class LockWaitTimeoutException(string message, Exception? innerException = null) : Exception(message, innerException)
{
    /// <summary>Whether <paramref name="exception"/> (or one it wraps) is PostgreSQL's <c>55P03 lock_not_available</c>.</summary>
    public static bool IsLockTimeout(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable })
            {
                return true;
            }
        }

        return false;
    }
}
