using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeMigrations.Worker;

/// <summary>
/// The server's notices on the worker's session, as log lines: online migrations report their progress as INFO messages
/// (<c>RAISE INFO</c>); other notices ("… skipping") are detail.
/// </summary>
internal static class ServerNotices
{
    /// <summary>Logs the notices of <paramref name="context"/>'s connection until the returned object is disposed.</summary>
    public static IDisposable Log(DbContext context, ILogger logger, string contextName)
    {
        var connection = (NpgsqlConnection)context.Database.GetDbConnection();
        NoticeEventHandler onNotice = (_, e) => logger.Log(
            e.Notice.InvariantSeverity == "INFO" ? LogLevel.Information : LogLevel.Debug,
            "{Context}: {Message}", contextName, e.Notice.MessageText);
        connection.Notice += onNotice;
        return new Unsubscribe(() => connection.Notice -= onNotice);
    }

    private sealed class Unsubscribe(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}
