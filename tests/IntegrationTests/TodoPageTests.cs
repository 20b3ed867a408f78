using System.Net;

namespace IntegrationTests;

/// <summary>The to-do page's forms over plain HTTP: what a forged cross-site post gets.</summary>
[Collection(ProductionGraphCollection.Name)]
public sealed class TodoPageTests(ProductionGraph graph)
{
    [Theory]
    [InlineData("/", "NewTodo.Title=Forged")]
    [InlineData("/?handler=Done&id=1", "")]
    [InlineData("/?handler=Delete&id=1", "")]
    public async Task A_form_post_without_the_antiforgery_token_is_refused_and_changes_nothing(string path, string form)
    {
        var app = await graph.GetAsync();
        using var http = app.CreateHttpClient("webapp");
        var before = await Database.TodoRowsAsync(app);

        using var content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(path, content, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await Database.TodoRowsAsync(app));
    }
}
