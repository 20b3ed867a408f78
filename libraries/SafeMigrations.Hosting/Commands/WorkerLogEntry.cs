using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace SafeMigrations.Hosting;

/// <summary>
/// One log entry of the worker as <c>Microsoft.Extensions.Logging.Console</c>'s JSON formatter writes it: one object per
/// line, with <c>LogLevel</c>, <c>Category</c>, <c>EventId</c>, <c>Message</c> and, on a failure, <c>Exception</c>.
/// </summary>
internal sealed record WorkerLogEntry(LogLevel Level, string Category, int EventId, string Message, string? Exception)
{
    /// <summary>The entry on <paramref name="line"/>; null when the line is not one (a result printed on stdout, an argument error).</summary>
    public static WorkerLogEntry? Parse(string line)
    {
        if (!line.StartsWith('{'))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("LogLevel", out var level) && Enum.TryParse<LogLevel>(level.GetString(), out var logLevel)
                && root.TryGetProperty("Category", out var category) && root.TryGetProperty("Message", out var message)
                ? new WorkerLogEntry(logLevel, category.GetString() ?? "",
                    root.TryGetProperty("EventId", out var eventId) && eventId.TryGetInt32(out var id) ? id : 0,
                    message.GetString() ?? "",
                    root.TryGetProperty("Exception", out var exception) ? exception.GetString() : null)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The entry as the console's simple format shows it on one line (<c>info: Category[0] Message</c>), for people.</summary>
    public string ToText()
    {
        var level = Level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
        return $"{level}: {Category}[{EventId}] {Message}" + (Exception is null ? "" : "\n" + Exception);
    }
}
