namespace SafeMigrations.Worker;

/// <summary>The database could not be reached within the connect deadline, or refused the connection (exit code 3).</summary>
public sealed class DatabaseUnreachableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
