namespace SafeMigrations.Worker.Tests;

/// <summary>
/// Which contexts a run moves, and where to, over the test worker's two contexts: the catalog (Initial, AddPrice) and
/// the orders (Initial, AddShipping). Every refusal is one line listing the valid choices.
/// </summary>
public sealed class TargetSelectionTests
{
    private const string ValidTargets =
        "CatalogContext: 0 (revert all), 20260101000000_Initial, 20260102000000_AddPrice; " +
        "OrdersContext: 0 (revert all), 20260101000001_Initial, 20260103000000_AddShipping";

    private static IReadOnlyList<(string Context, string? TargetId)> Select(string? target = null, string? context = null, bool repair = false) =>
        [.. TargetSelection.Select(TestContexts.Both(), new MigrationOptions { Target = target, Context = context, Repair = repair })
            .Select(s => (s.Context.Name, s.TargetId))];

    private static string Refusal(string? target = null, string? context = null, bool repair = false) =>
        Assert.Throws<InvalidArgumentsException>(() => Select(target, context, repair)).Message;

    [Fact]
    public void Without_a_target_every_context_goes_to_its_latest_in_registration_order()
    {
        Assert.Equal([("CatalogContext", null), ("OrdersContext", (string?)null)], Select());
    }

    [Theory]
    [InlineData("OrdersContext")]
    [InlineData("orderscontext")]
    [InlineData(" ORDERSCONTEXT ")]
    public void Context_picks_one_by_its_type_name_in_any_case(string context)
    {
        Assert.Equal([("OrdersContext", (string?)null)], Select(context: context));
    }

    [Fact]
    public void An_unknown_context_is_refused_naming_the_registered_ones()
    {
        Assert.Equal("Unknown context 'Inventory'. Registered contexts: CatalogContext, OrdersContext.", Refusal(context: "Inventory"));
    }

    [Theory]
    [InlineData("AddShipping", "OrdersContext", "20260103000000_AddShipping")]
    [InlineData("addprice", "CatalogContext", "20260102000000_AddPrice")]
    [InlineData("20260101000001_Initial", "OrdersContext", "20260101000001_Initial")]
    public void A_target_of_one_context_moves_that_context_alone(string target, string context, string id)
    {
        Assert.Equal([(context, (string?)id)], Select(target));
    }

    [Theory]
    [InlineData("Initial")]
    [InlineData("0")]
    public void A_target_several_contexts_have_is_ambiguous_without_context(string target)
    {
        Assert.Equal(
            $"Ambiguous target migration '{target}': CatalogContext and OrdersContext each have it; name one with --context <name>. " +
            $"Valid targets — {ValidTargets}.",
            Refusal(target));
    }

    [Theory]
    [InlineData("Initial", "20260101000000_Initial")]
    [InlineData("0", "0")]
    public void With_context_an_ambiguous_target_names_that_contexts_migration(string target, string id)
    {
        Assert.Equal([("CatalogContext", (string?)id)], Select(target, context: "CatalogContext"));
    }

    [Fact]
    public void An_unknown_target_is_refused_listing_the_valid_targets_per_context()
    {
        Assert.Equal($"Unknown target migration 'AddStock' for CatalogContext or OrdersContext. Valid targets — {ValidTargets}.",
            Refusal("AddStock"));
    }

    [Fact]
    public void With_context_a_target_of_another_context_is_unknown_there()
    {
        Assert.Equal(
            "Unknown target migration 'AddShipping' for CatalogContext. Valid targets: 0 (revert all), 20260101000000_Initial, 20260102000000_AddPrice.",
            Refusal("AddShipping", context: "CatalogContext"));
    }

    [Fact]
    public void Repair_takes_no_target()
    {
        Assert.Equal("Migrations:Repair migrates nothing, so it takes no target: run it alone, then migrate.", Refusal("AddPrice", repair: true));
    }
}
