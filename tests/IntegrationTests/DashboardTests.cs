using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace IntegrationTests;

/// <summary>
/// The migration commands where a developer finds them: the Aspire dashboard, in a real browser. Takes the docs'
/// screenshot of the command menu (<see cref="Screenshots"/>).
/// </summary>
[Collection(MigrationConsoleCollection.Name)]
public sealed class DashboardTests(MigrationConsoleGraph graph)
{
    static DashboardTests() => SetDefaultExpectTimeout((float)TestDeadline.Timeout.TotalMilliseconds);

    [Fact]
    public async Task The_migrations_resource_offers_the_migration_commands_in_the_dashboard()
    {
        await using var chromium = await Chromium.LaunchAsync();
        var app = await graph.GetAsync();
        var page = await chromium.NewPageAsync(width: 1400, height: 700);
        using var deadline = TestDeadline.Start();

        // The URL carries the dashboard's login token: used, never printed.
        await page.GotoAsync((await app.GetDashboardUrlAsync(deadline.Token)).ToString());
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByText("migrations", new() { Exact = true }) });
        await Expect(row).ToContainTextAsync(KnownResourceStates.Finished);
        await OpenAsync(row.GetByRole(AriaRole.Button, new() { Name = "Actions" }), page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands" }));
        await page.GetByRole(AriaRole.Menuitem, new() { Name = "Commands" }).HoverAsync();

        foreach (var command in new[] { "Status", "Pending SQL", "Plan", "Drift", "Migrate to latest", "Migrate to…", "Reset database" })
        {
            var item = page.GetByRole(AriaRole.Menuitem, new() { Name = command, Exact = true });
            await Expect(item).ToBeVisibleAsync();
            await Expect(item).Not.ToHaveAttributeAsync("aria-disabled", "true");
        }

        await Screenshots.SaveAsync(page, "dashboard-commands.png");
    }

    /// <summary>
    /// Clicks <paramref name="button"/> until <paramref name="opened"/> shows. The dashboard is a Blazor Server app: its
    /// buttons do nothing until its connection is up, and a second click on an open menu would close it.
    /// </summary>
    private static async Task OpenAsync(ILocator button, ILocator opened) =>
        await Poll.UntilAsync(async _ =>
        {
            if (!await opened.IsVisibleAsync())
            {
                await button.ClickAsync();
            }

            try
            {
                await opened.WaitForAsync(new() { Timeout = 3000 });
                return true;
            }
            catch (TimeoutException)
            {
                return false;
            }
        });
}
