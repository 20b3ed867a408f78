using System.Globalization;

namespace WebApp;

/// <summary>The paging parameters of a list request, <c>?limit=&amp;after=</c>, checked before any query runs.</summary>
/// <param name="Limit">How many items, 1 to <see cref="TodoListPage.MaxLimit"/>.</param>
/// <param name="After">Where to start: the <c>after</c> token of the previous page's next link; null for the first page.</param>
public readonly record struct TodoPageQuery(int Limit, TodoCursor? After)
{
    /// <summary>Name of the page-size parameter.</summary>
    public const string LimitParameter = "limit";

    /// <summary>Name of the cursor parameter.</summary>
    public const string AfterParameter = "after";

    /// <summary>Reads both parameters (absent: the first page, <see cref="TodoListPage.DefaultLimit"/> items).</summary>
    /// <returns>The query, or null with an error per bad parameter (the API answers 400 with them).</returns>
    public static TodoPageQuery? Parse(string? limit, string? after, out Dictionary<string, string[]> errors)
    {
        errors = [];
        var parsedLimit = TodoListPage.DefaultLimit;
        if (limit is not null
            && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out parsedLimit)
                || parsedLimit is < 1 or > TodoListPage.MaxLimit))
        {
            errors[LimitParameter] = [$"{LimitParameter} is a whole number from 1 to {TodoListPage.MaxLimit}."];
        }

        TodoCursor? cursor = null;
        if (after is not null)
        {
            if (TodoCursor.TryParse(after, out var parsed))
            {
                cursor = parsed;
            }
            else
            {
                errors[AfterParameter] = [$"{AfterParameter} is not a cursor this API issued: start again from the first page."];
            }
        }

        return errors.Count == 0 ? new TodoPageQuery(parsedLimit, cursor) : null;
    }
}
