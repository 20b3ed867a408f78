using Aspire.Hosting;

namespace SafeMigrations.Hosting;

/// <summary>
/// A setting of the AppHost that cannot work (a mode that cannot be published, an unknown server size…). Its message is
/// one line that says why and what to do instead: an AppHost catches it around its graph, prints the message and exits 1,
/// with no stack trace and nothing started or published.
/// </summary>
public sealed class SafeMigrationsSettingException : DistributedApplicationException
{
    /// <summary>Creates the exception with its one-line <paramref name="message"/>.</summary>
    public SafeMigrationsSettingException(string message) : base(message)
    {
    }
}
