using Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using WebApp;

namespace IntegrationTests;

/// <summary>
/// The list query's plan, the web app's own statement (<see cref="TodoListPage"/>) on a table of
/// <see cref="LargeListGraph.Rows"/> to-dos, for the first page and for pages after every kind of cursor — open and
/// done, dated and undated, inside a run of the list and at its end: PostgreSQL walks the index on (IsDone, DueDate,
/// Id) from the cursor on, sorts nothing, and reads the page and at most one row more per run, whatever came before.
/// A plan that sorts, or reads the rows before the cursor again, makes each page cost more as the table grows
/// (bench/README.md, "List index").
/// </summary>
public sealed class TodoListPlanTests(ListPlanDatabase database) : IClassFixture<ListPlanDatabase>
{
    private const int Limit = TodoListPage.DefaultLimit;
    private const string ListIndex = "IX_Todos_IsDone_DueDate_Id";

    // Measured 31–44 at this size (bench/README.md); a page that reads the rows before its cursor touches thousands.
    private const long MaxBuffers = 100;

    [Theory]
    [InlineData("first page")]
    [InlineData("open, dated")]
    [InlineData("open, last dated")]
    [InlineData("open, undated")]
    [InlineData("open, last undated")]
    [InlineData("done, dated")]
    [InlineData("done, last dated")]
    [InlineData("done, undated")]
    public async Task A_page_walks_the_list_index_from_its_cursor_sorting_nothing_and_reading_only_the_page(string after)
    {
        var db = await database.GetAsync();
        var list = await ListAsync(db);
        var cursorRow = CursorRow(list, after);
        var recorder = new QueryPlanRecorder();
        await using var context = new AppDbContext(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql(db).AddInterceptors(recorder).Options);

        var page = await TodoListPage.ReadAsync(
            context, cursorRow is { } row ? new TodoCursor(row.IsDone, row.DueDate, row.Id) : null, Limit, TestContext.Current.CancellationToken);

        var start = cursorRow is { } at ? list.IndexOf(at) + 1 : 0;
        Assert.Equal(list.Skip(start).Take(Limit).Select(r => r.Id), page.Items.Select(t => t.Id));
        var plan = Assert.Single(recorder.Plans);
        Assert.True(plan.Nodes.All(n => n.NodeType is not ("Sort" or "Incremental Sort")), $"The plan sorts:\n{plan}");
        var scans = plan.Nodes.Where(n => n.RelationName == "Todos").ToList();
        Assert.NotEmpty(scans);
        Assert.True(scans.All(s => s is { NodeType: "Index Scan", IndexName: ListIndex }), $"A scan of Todos is not a walk of {ListIndex}:\n{plan}");
        Assert.True(scans.Sum(s => s.RowsRead) <= Limit + 1 + scans.Count,
            $"The scans read {scans.Sum(s => s.RowsRead)} rows for a page of {Limit} (+1) in {scans.Count} run(s):\n{plan}");
        Assert.True(plan.Buffers <= MaxBuffers, $"The page touched {plan.Buffers} buffers:\n{plan}");
    }

    /// <summary>The row a page starts after: none for the first page, else the middle or the last of one run of the list.</summary>
    private static ListRow? CursorRow(List<ListRow> list, string after)
    {
        if (after == "first page")
        {
            return null;
        }

        var run = list.Where(r => r.IsDone == after.StartsWith("done", StringComparison.Ordinal)
                                  && r.DueDate is null == after.EndsWith("undated", StringComparison.Ordinal)).ToList();
        return after.Contains("last", StringComparison.Ordinal) ? run[^1] : run[run.Count / 2];
    }

    /// <summary>Every to-do's sort key, in list order.</summary>
    private static async Task<List<ListRow>> ListAsync(string db)
    {
        await using var connection = await Database.OpenAsync(db, "test");
        await using var command = new NpgsqlCommand(
            TodoPagingTests.ListOrderSql.Replace("""SELECT "Id" """, """SELECT "Id", "IsDone", "DueDate" """), connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<ListRow>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(new ListRow(reader.GetInt32(0), reader.GetBoolean(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateOnly>(2)));
        }

        return rows;
    }

    private sealed record ListRow(int Id, bool IsDone, DateOnly? DueDate);
}
