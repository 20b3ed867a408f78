namespace Data;

/// <summary>An order placed by a customer.</summary>
public sealed class Order
{
    /// <summary>The key.</summary>
    public int Id { get; set; }

    /// <summary>Who placed it.</summary>
    public required string Customer { get; set; }

    /// <summary>Its total, in the shop's currency.</summary>
    public decimal Total { get; set; }

    /// <summary>The customer's note for the order, if any.</summary>
    public string? Note { get; set; }

    /// <summary>When it was placed.</summary>
    public DateTimeOffset PlacedAt { get; set; } = DateTimeOffset.UtcNow;
}
