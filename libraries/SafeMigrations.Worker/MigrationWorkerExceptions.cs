namespace SafeMigrations.Worker;

/// <summary>
/// A migration down would destroy data and <c>--allow-data-loss</c> was not given. Nothing was changed; exit code 2.
/// The message names each migration and what it would drop.
/// </summary>
public sealed class DataLossRefusedException(string message) : Exception(message);
