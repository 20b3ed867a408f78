namespace SafeMigrations.Tests;

/// <summary>A migration's name from its id, as the messages name migrations.</summary>
public sealed class MigrationIdTests
{
    [Theory]
    [InlineData("20261125172901_AddDueDate", "AddDueDate")]
    [InlineData("20261129094731_Add_Updated_At", "Add_Updated_At")]
    public void The_name_is_what_follows_the_timestamp(string id, string expected)
    {
        Assert.Equal(expected, MigrationId.Name(id));
    }
}
