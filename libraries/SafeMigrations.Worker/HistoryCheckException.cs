namespace SafeMigrations.Worker;

/// <summary>
/// The history does not tell the truth any more: an applied migration was edited, or a pending one sorts before the
/// latest applied. Nothing was migrated; exit code 4. The message says what to do.
/// </summary>
public sealed class HistoryCheckException(string message) : Exception(message);
