using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Migrator;

namespace Tests;

/// <summary>The graph as it starts: both databases migrated and seeded by the worker, then the API, on both.</summary>
[Collection(StartedGraphCollection.Name)]
public sealed class StartupTests(StartedGraph graph)
{
    [Fact]
    public async Task Both_databases_are_migrated_and_seeded_before_the_api_starts()
    {
        var app = graph.App;

        var worker = await app.WaitForExitAsync("migrations");
        Assert.Equal(0, worker.ExitCode);
        // The outputs' own timestamps: the API process said it listens after the worker's run had migrated the second
        // context, the last (its first such line: the dashboard commands of other tests log to the same resource).
        var workerDone = (await app.LogTimesAsync("migrations", $"AccountsDbContext: {Migrations.Accounts.Count} migration(s) applied")).Min();
        var apiListening = (await app.LogTimesAsync("api", "Now listening on")).Min();
        Assert.True(apiListening > workerDone, $"The API listened at {apiListening:O}, the worker migrated the last context at {workerDone:O}.");
        Assert.Equal(Migrations.Orders, await app.AppliedMigrationsAsync("ordersdb"));
        Assert.Equal(Migrations.Accounts, await app.AppliedMigrationsAsync("accountsdb"));
        await using var orders = await app.OpenAsync("ordersdb");
        Assert.Equal(OrdersSeeder.Customers.Order(), await orders.QueryAsync<string>("""SELECT "Customer" FROM "Orders" ORDER BY "Customer" """));
    }

    [Fact]
    public async Task Api_places_orders_in_ordersdb_and_registers_users_in_accountsdb()
    {
        using var http = graph.App.CreateHttpClient("api");
        var cancellationToken = TestContext.Current.CancellationToken;

        var placed = await http.PostAsJsonAsync("/api/orders", new { customer = "Barbara", total = 12.5m }, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var order = await placed.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var location = placed.Headers.Location!;
        Assert.Equal("Barbara", (await http.GetFromJsonAsync<JsonElement>(location, cancellationToken)).GetProperty("customer").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await http.DeleteAsync(location, cancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/orders/{order.GetProperty("id").GetInt32()}", cancellationToken)).StatusCode);

        var invalid = await http.PostAsJsonAsync("/api/orders", new { customer = "", total = -1m }, cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType?.MediaType);
        using var malformed = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        var unreadable = await http.PostAsync("/api/orders", malformed, cancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
        Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);

        var email = $"user-{Guid.NewGuid():N}@example.com";
        var credentials = new { email, password = "Correct-Horse-42" };
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/api/account/register", credentials, cancellationToken)).StatusCode);
        var login = await http.PostAsJsonAsync("/api/account/login", credentials, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = (await login.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("accessToken").GetString();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/users", cancellationToken)).StatusCode);
        using var users = new HttpRequestMessage(HttpMethod.Get, "/api/users") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };
        var listed = await (await http.SendAsync(users, cancellationToken)).Content.ReadFromJsonAsync<string[]>(cancellationToken);
        Assert.Contains(email, listed!);
    }
}
