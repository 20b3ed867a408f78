using Npgsql;
using WebApp;

namespace FastTests;

/// <summary>The web app's own bounds on its database connections, applied over whatever connection string it is handed.</summary>
public sealed class DatabaseLimitsTests
{
    [Fact]
    public void The_limits_win_over_the_connection_strings_and_a_cancel_request_is_tried_once_without_GSS()
    {
        var limits = new DatabaseLimits { MaxPoolSize = 4, ConnectTimeout = TimeSpan.FromSeconds(2.5), CommandTimeout = TimeSpan.FromSeconds(7) };

        var applied = new NpgsqlConnectionStringBuilder(limits.ApplyTo(
            "Host=db;Username=appdb_web;Password=secret;Maximum Pool Size=100;Timeout=15;Command Timeout=30;GSS Encryption Mode=Prefer;SSL Mode=VerifyFull"));

        Assert.Equal((4, 3, 7), (applied.MaxPoolSize, applied.Timeout, applied.CommandTimeout));
        Assert.Equal(GssEncryptionMode.Disable, applied.GssEncryptionMode);
        // Everything else stays as handed over.
        Assert.Equal(("db", "appdb_web", "secret", SslMode.VerifyFull), (applied.Host, applied.Username, applied.Password, applied.SslMode));
    }
}
