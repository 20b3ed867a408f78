using System.Reflection;

namespace SafeMigrations.ExpandContract;

/// <summary>
/// Expand/contract: no migration may break the release still serving while it is applied (and that a rollback relies
/// on) unless a reviewed marker says why that is safe. A team's lint test is one line, in any test framework:
/// <code>
/// [Fact]
/// public void Migrations_follow_expand_contract() => ExpandContractCheck.AssertFollowed(typeof(AppDbContext).Assembly);
/// </code>
/// </summary>
/// <remarks>
/// Every migration EF Core finds in the assembly is checked, migrations added later included, for every context there,
/// against each <see cref="ExpandContractRule"/>: EF Core's operations and the SQL of <c>migrationBuilder.Sql(…)</c>
/// alike. Changes to a table the same migration creates break nothing. No database is needed.
/// </remarks>
public static class ExpandContractCheck
{
    /// <summary>
    /// What is wrong with the migrations in <paramref name="migrationsAssembly"/>, oldest first: each rule broken that
    /// no <see cref="ExpandContractReviewedAttribute"/> accepts, each marker without a reason, each marker for a rule
    /// its migration does not break. Empty when every migration follows expand/contract.
    /// </summary>
    /// <param name="migrationsAssembly">The assembly that holds the migrations (the context's, unless its options name
    /// another <c>MigrationsAssembly</c>).</param>
    /// <exception cref="ArgumentException">The assembly holds no migration: a check of nothing would pass.</exception>
    public static IReadOnlyList<ExpandContractFinding> Findings(Assembly migrationsAssembly)
    {
        ArgumentNullException.ThrowIfNull(migrationsAssembly);
        var migrations = MigrationsInAssembly.Of(migrationsAssembly);
        if (migrations.Count == 0)
        {
            throw new ArgumentException(
                $"{migrationsAssembly.GetName().Name} holds no EF Core migration (a Migration with [DbContext] and [Migration]): " +
                "pass the assembly the migrations are in.", nameof(migrationsAssembly));
        }

        return [.. migrations.SelectMany(m => ExpandContractRules.Problems(MigrationId.Name(m.Id), m.Migration))];
    }

    /// <summary>
    /// Throws <see cref="ExpandContractViolationException"/>, listing every one of the <see cref="Findings"/> (the
    /// migration, the operation, the rule and how to split the change), unless there are none.
    /// </summary>
    /// <param name="migrationsAssembly">The assembly that holds the migrations.</param>
    /// <exception cref="ExpandContractViolationException">A migration breaks expand/contract, or a marker is wrong.</exception>
    /// <exception cref="ArgumentException">The assembly holds no migration.</exception>
    public static void AssertFollowed(Assembly migrationsAssembly)
    {
        var findings = Findings(migrationsAssembly);
        if (findings.Count > 0)
        {
            throw new ExpandContractViolationException(findings);
        }
    }
}
