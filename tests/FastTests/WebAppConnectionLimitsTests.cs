using Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WebApp;

namespace FastTests;

/// <summary>
/// The web app, started in the test process (no database needed), really opens its connections with its own limits
/// (section <c>Database</c>), not with whatever the connection string it was handed says.
/// </summary>
public sealed class WebAppConnectionLimitsTests
{
    [Fact]
    public async Task The_connection_string_the_app_uses_carries_its_own_pool_size_and_timeouts()
    {
        await using var app = new WebApplicationFactory<DatabaseLimits>().WithWebHostBuilder(web => web
            .UseSetting("ConnectionStrings:appdb", "Host=db.invalid;Database=appdb;Username=appdb_web;Password=secret;Maximum Pool Size=100;Timeout=15;Command Timeout=30")
            .UseSetting("Database:MaxPoolSize", "3")
            .UseSetting("Database:ConnectTimeout", "00:00:02")
            .UseSetting("Database:CommandTimeout", "00:00:04"));
        using var scope = app.Services.CreateScope();

        var used = new NpgsqlConnectionStringBuilder(scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GetConnectionString());

        Assert.Equal((3, 2, 4), (used.MaxPoolSize, used.Timeout, used.CommandTimeout));
        Assert.Equal(("db.invalid", "appdb_web"), (used.Host, used.Username));
    }
}
