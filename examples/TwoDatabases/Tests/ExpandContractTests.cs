using Data;
using SafeMigrations.ExpandContract;

namespace Tests;

/// <summary>Every migration of both contexts keeps the release still serving working (expand/contract).</summary>
public sealed class ExpandContractTests
{
    [Fact]
    public void Migrations_follow_expand_contract() => ExpandContractCheck.AssertFollowed(typeof(OrdersDbContext).Assembly);
}
