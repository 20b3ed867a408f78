using System.Net;
using System.Net.Http.Json;

namespace IntegrationTests;

/// <summary>The order the list comes in (API and page alike): open before done, soonest due first, undated last, then oldest first.</summary>
[Collection(ProductionGraphCollection.Name)]
public sealed class TodoListOrderTests(ProductionGraph graph)
{
    [Fact]
    public async Task List_shows_open_before_done_soonest_due_first_undated_last_then_oldest_first()
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        // Created in an order that is none of the orders checked. (Titles avoid the page's labels, such as "Due date":
        // the browser test on the same graph finds its fields by label.)
        var doneDated = await CreateAsync(http, "order check: closed, January", isDone: true, dueDate: "2030-01-01");
        var openUndated = await CreateAsync(http, "order check: open, undated", isDone: false, dueDate: null);
        var openMarch = await CreateAsync(http, "order check: open, March", isDone: false, dueDate: "2030-03-01");
        var openFebruary = await CreateAsync(http, "order check: open, February", isDone: false, dueDate: "2030-02-01");
        var openUndatedLater = await CreateAsync(http, "order check: open, undated, later", isDone: false, dueDate: null);
        var doneUndated = await CreateAsync(http, "order check: closed, undated", isDone: true, dueDate: null);

        var list = await http.GetFromJsonAsync<List<Todo>>("/api/todos", TestContext.Current.CancellationToken);

        // Other tests of the collection add to-dos too; the order among these six is what is checked.
        int[] mine = [doneDated, openUndated, openMarch, openFebruary, openUndatedLater, doneUndated];
        Assert.Equal([openFebruary, openMarch, openUndated, openUndatedLater, doneDated, doneUndated],
            list!.Select(t => t.Id).Where(mine.Contains));
    }

    private static async Task<int> CreateAsync(HttpClient http, string title, bool isDone, string? dueDate)
    {
        using var response = await http.PostAsJsonAsync("/api/todos", new { title, isDone, dueDate }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Todo>(TestContext.Current.CancellationToken))!.Id;
    }

    private sealed record Todo(int Id);
}
