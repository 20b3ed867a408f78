using System.Text;
using WebApp;

namespace FastTests;

/// <summary>The paging cursor: what it writes reads back the same, and nothing else reads at all.</summary>
public sealed class TodoCursorTests
{
    public static TheoryData<bool, string?, int> Positions => new()
    {
        { false, "2030-01-01", 1 },
        { true, "2099-12-31", int.MaxValue },
        { false, null, 42 },
        { true, null, 7 },
    };

    [Theory]
    [MemberData(nameof(Positions))]
    public void A_cursor_reads_back_as_the_position_it_was_written_from(bool isDone, string? dueDate, int id)
    {
        var cursor = new TodoCursor(isDone, dueDate is null ? null : DateOnly.Parse(dueDate), id);

        var token = cursor.ToString();

        Assert.True(TodoCursor.TryParse(token, out var read));
        Assert.Equal(cursor, read);
        Assert.Matches("^[A-Za-z0-9_-]+$", token);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a cursor")]
    [InlineData("djEuMC4yMDMwMDEwMS41=")]     // padded
    [InlineData("djEuMC4yMDMwMDEwMS41\n")]    // trailing line break
    public void Anything_that_is_not_a_written_cursor_is_refused(string? token)
    {
        Assert.False(TodoCursor.TryParse(token, out _));
    }

    [Theory]
    [InlineData("v1.0.20300101.5", true)]
    [InlineData("v2.0.20300101.5", false)]   // another version
    [InlineData("v1.2.20300101.5", false)]   // not a boolean
    [InlineData("v1.0.20300230.5", false)]   // no such day
    [InlineData("v1.0.2030-01-01.5", false)] // another date format
    [InlineData("v1.0.-.0", false)]          // ids start at 1
    [InlineData("v1.0.-.-5", false)]
    [InlineData("v1.0.-.007", false)]        // not how 7 is written
    [InlineData("v1.0.-.5.6", false)]        // a part too many
    [InlineData("v1.0.-.99999999999", false)]
    public void Only_the_exact_written_form_is_read(string plain, bool accepted)
    {
        var token = Convert.ToBase64String(Encoding.ASCII.GetBytes(plain)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(accepted, TodoCursor.TryParse(token, out _));
    }
}
