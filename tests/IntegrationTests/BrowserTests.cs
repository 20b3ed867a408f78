using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationTests;

/// <summary>
/// A person's path through the web app in a real browser (the system's Chromium, through Playwright): add a to-do, see it,
/// mark it done, delete it, open the schema page — and no page breaks the app's Content-Security-Policy — taking the
/// docs' screenshots (<see cref="Screenshots"/>) on the way. Smoke: a later build's compatibility check (compat/run)
/// runs them on its newer schema.
/// </summary>
[Collection(ProductionGraphCollection.Name)]
[Trait("Category", "Smoke")]
public sealed class BrowserTests(ProductionGraph graph)
{
    static BrowserTests() => SetDefaultExpectTimeout((float)TestDeadline.Timeout.TotalMilliseconds);

    [Fact]
    public async Task Add_see_mark_done_and_delete_a_todo_then_open_the_schema_page()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var app = await graph.GetAsync();
        var page = await chromium.NewPageAsync();
        var cspViolations = await CspViolations.WatchAsync(page);
        const string title = "Water the plants";

        await page.GotoAsync(app.GetEndpoint("webapp", "http").ToString());
        await page.GetByLabel("Title").FillAsync(title);
        await page.GetByLabel("Due date").FillAsync("2030-06-15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();

        var item = page.Locator("ul.todos li").Filter(new() { Has = page.GetByText(title, new() { Exact = true }) });
        await Expect(item).ToHaveCountAsync(1);
        await Expect(item).ToContainTextAsync("due 2030-06-15");
        await Expect(item).Not.ToHaveClassAsync("done");

        await item.GetByRole(AriaRole.Button, new() { Name = "Done" }).ClickAsync();
        await Expect(item).ToHaveClassAsync("done");
        await Expect(item.GetByRole(AriaRole.Button, new() { Name = "Done" })).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "screenshot.png");

        await item.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(item).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Schema" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Uri(app.GetEndpoint("webapp", "http"), "/schema").ToString());
        await Expect(page.Locator(".pending-count")).ToHaveTextAsync("0 pending");
        // The page lists the database's history: this build's migrations, and on a newer schema those after them.
        var history = await Database.AppliedMigrationsAsync(app);
        Assert.All(Migrations.Ids, id => Assert.Contains(id, history));
        var applied = page.Locator("table.applied tbody tr");
        await Expect(applied).ToHaveCountAsync(history.Count);
        for (var i = 0; i < history.Count; i++)
        {
            await Expect(applied.Nth(i)).ToContainTextAsync(history[i]);
        }

        await Screenshots.SaveAsync(page, "schema.png");
        cspViolations.AssertNone();
    }

    [Fact]
    public async Task An_invalid_title_shows_the_error_and_adds_nothing()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var app = await graph.GetAsync();
        var page = await chromium.NewPageAsync();
        var cspViolations = await CspViolations.WatchAsync(page);
        var before = await Database.TodoRowsAsync(app);

        await page.GotoAsync(app.GetEndpoint("webapp", "http").ToString());
        await page.GetByLabel("Title").FillAsync("   ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();

        await Expect(page.Locator(".error").First).ToHaveTextAsync("A title is required.");
        Assert.Equal(before, await Database.TodoRowsAsync(app));
        cspViolations.AssertNone();
    }
}
