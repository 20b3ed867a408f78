namespace IntegrationTests;

/// <summary>
/// A Production graph whose to-do table holds <see cref="Rows"/> rows: open and done, with and without due dates, many
/// sharing a due date (so the id decides their order). Filled once, on first use; tests that add rows remove them.
/// </summary>
public sealed class LargeListGraph : StartedGraph
{
    public const int Rows = 20_000;

    /// <summary>Adds to-dos of the large list's shape until <c>Todos</c> holds <see cref="Rows"/>.</summary>
    public static readonly string TopUpSql = $"""
        INSERT INTO "Todos" ("Title", "IsDone", "DueDate")
        SELECT 'Bulk ' || i, i % 4 = 0, CASE WHEN i % 7 = 0 THEN NULL ELSE DATE '2030-01-01' + (i % 60)::int END
        FROM generate_series(1, {Rows} - (SELECT count(*) FROM "Todos")) AS i
        """;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _filled;

    /// <summary>The started graph, with the table filled to <see cref="Rows"/>.</summary>
    public async Task<DistributedApplication> GetFilledAsync()
    {
        var app = await GetAsync();
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!_filled)
            {
                // The worker's seed is there already: top it up to exactly Rows.
                await Database.ExecuteAsync(app, TopUpSql);
                _filled = true;
            }
        }
        finally
        {
            _gate.Release();
        }

        return app;
    }

    protected override async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var builder = await base.CreateBuilderAsync();
        builder.WebApp().InProduction().WithoutRateLimits();
        return builder;
    }
}
