using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Data;

namespace WebApp;

/// <summary>
/// Where a page of the to-do list ends: the sort key (see <see cref="TodoListOrder"/>) of its last item. The next page
/// starts right after it, so rows inserted or deleted meanwhile never shift a page (keyset pagination, not offsets).
/// </summary>
/// <remarks>
/// Clients see it as an opaque token: base64url of <c>v1.{0|1}.{yyyyMMdd|-}.{id}</c>. It carries no secret (it names
/// a position in a list anyone may read), so it is not signed; it is parsed strictly and must be exactly what
/// <see cref="ToString"/> writes, so a token that was cut, padded, re-encoded or edited by hand is refused.
/// </remarks>
/// <param name="IsDone">The last item's <see cref="TodoItem.IsDone"/>.</param>
/// <param name="DueDate">The last item's <see cref="TodoItem.DueDate"/>.</param>
/// <param name="Id">The last item's <see cref="TodoItem.Id"/>: makes the key unique.</param>
public readonly record struct TodoCursor(bool IsDone, DateOnly? DueDate, int Id)
{
    private const string Version = "v1";
    private const string DateFormat = "yyyyMMdd";
    private const string NoDate = "-";

    /// <summary>The cursor just after <paramref name="todo"/>.</summary>
    public static TodoCursor After(TodoItem todo) => new(todo.IsDone, todo.DueDate, todo.Id);

    /// <summary>The token clients pass back as <c>after</c>.</summary>
    public override string ToString()
    {
        var dueDate = DueDate?.ToString(DateFormat, CultureInfo.InvariantCulture) ?? NoDate;
        var plain = string.Create(CultureInfo.InvariantCulture, $"{Version}.{(IsDone ? 1 : 0)}.{dueDate}.{Id}");
        return Base64Url.EncodeToString(Encoding.ASCII.GetBytes(plain));
    }

    /// <summary>Reads a token written by <see cref="ToString"/>; false for anything else.</summary>
    public static bool TryParse(string? token, out TodoCursor cursor)
    {
        cursor = default;
        if (string.IsNullOrEmpty(token) || token.Length > 64 || !Base64Url.IsValid(token))
        {
            return false;
        }

        var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(token)).Split('.');
        if (parts is not [Version, "0" or "1", var dueDate, var id]
            || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsedId) || parsedId < 1)
        {
            return false;
        }

        DateOnly? parsedDate = null;
        if (dueDate != NoDate)
        {
            if (!DateOnly.TryParseExact(dueDate, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                return false;
            }

            parsedDate = date;
        }

        var candidate = new TodoCursor(parts[1] == "1", parsedDate, parsedId);
        // Canonical form only: "007" for 7, or a token with stray bits in its last character, is not one we wrote.
        if (candidate.ToString() != token)
        {
            return false;
        }

        cursor = candidate;
        return true;
    }
}
