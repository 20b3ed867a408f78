namespace SafeMigrations.Worker;

/// <summary>
/// A failure the worker reports as its one error line, with an exit code of its own (<see cref="ExitCodes"/>). The run
/// maps every failure to an exit code in one place (<see cref="MigrationWorkerBuilder.RunAsync"/>): this exception's code,
/// or 1 for anything else.
/// </summary>
internal abstract class MigrationWorkerException(string message, int exitCode, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>What the process exits with.</summary>
    public int ExitCode { get; } = exitCode;
}

/// <summary>Arguments or configuration that cannot work: an unknown target or context, a web role that cannot be used. Nothing was changed.</summary>
internal sealed class InvalidArgumentsException(string message) : MigrationWorkerException(message, ExitCodes.InvalidArguments);

/// <summary>A migration down would destroy data and <c>--allow-data-loss</c> was not given. Nothing was changed; the message names each loss.</summary>
internal sealed class DataLossRefusedException(string message) : MigrationWorkerException(message, ExitCodes.DataLossRefused);

/// <summary>A pending migration would fail on the data there is (duplicates for a unique index, say): nothing was migrated.</summary>
internal sealed class DataCheckFailedException(string message) : MigrationWorkerException(message, ExitCodes.InvalidArguments);

/// <summary>
/// The admin login lacks a privilege the role setup needs (CREATEROLE, say). Running again changes nothing until the
/// login does. Nothing was migrated.
/// </summary>
internal sealed class PrivilegeMissingException(string message) : MigrationWorkerException(message, ExitCodes.PrivilegeMissing);

/// <summary>The database could not be reached within the connect deadline, or refused the connection.</summary>
internal sealed class DatabaseUnreachableException(string message, Exception? innerException)
    : MigrationWorkerException(message, ExitCodes.DatabaseUnreachable, innerException);

/// <summary>
/// The history does not tell the truth any more: an applied migration was edited, or a pending one sorts before the
/// latest applied. Nothing was migrated; the message says what to do.
/// </summary>
internal sealed class HistoryCheckException(string message) : MigrationWorkerException(message, ExitCodes.HistoryCheckFailed);

/// <summary>A lock wait outlasted its budget; the message names who held the lock.</summary>
internal sealed class LockWaitTimeoutException(string message, Exception? innerException = null)
    : MigrationWorkerException(message, ExitCodes.MigrationFailed, innerException);

/// <summary>The migration lock's session ended mid-run, so another worker may have started: the run stopped before its next step.</summary>
internal sealed class MigrationLockLostException(string message) : MigrationWorkerException(message, ExitCodes.MigrationFailed);

/// <summary>A pending migration would block the app longer than <c>Migrations:MaxLockedTime</c>: exit 2, nothing changed.</summary>
internal sealed class LockBudgetExceededException(string message) : MigrationWorkerException(message, ExitCodes.InvalidArguments);
