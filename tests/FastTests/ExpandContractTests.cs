using Data;
using SafeMigrations.ExpandContract;

namespace FastTests;

/// <summary>
/// Expand/contract: no migration of Data breaks the release still serving while it is applied, unless a reviewed
/// marker says why that is safe. Migrations added later are found and checked the same way.
/// </summary>
public sealed class ExpandContractTests
{
    [Fact]
    public void Migrations_follow_expand_contract() => ExpandContractCheck.AssertFollowed(typeof(AppDbContext).Assembly);
}
