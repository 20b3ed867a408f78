using SafeMigrations.Schema;

namespace SafeMigrations.ExpandContract;

/// <summary>
/// One thing the expand/contract check found in a migration: a rule it breaks (with the change that breaks it and how
/// to split that change), or a marker that is wrong. <see cref="Message"/> is the line a failing check shows.
/// </summary>
/// <param name="Migration">The migration's name (<c>AddDueDate</c>).</param>
/// <param name="Rule">The rule broken, or the rule the marker names.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Change">The change that breaks the rule (<see cref="ExpandContractFindingKind.RuleBroken"/>), else null.</param>
public sealed record ExpandContractFinding(string Migration, ExpandContractRule Rule, ExpandContractFindingKind Kind, SchemaChange? Change)
{
    /// <summary>The failure line: the migration, the operation, the rule, how to split the change and the marker; or what is wrong with a marker.</summary>
    public string Message => Kind switch
    {
        ExpandContractFindingKind.MarkerWithoutReason =>
            $"{Migration}: its ExpandContractReviewed({Rule}) marker gives no reason; say why it is safe.",
        ExpandContractFindingKind.MarkerAcceptsNothing =>
            $"{Migration}: its ExpandContractReviewed({Rule}) marker accepts nothing (the migration does not break {Rule}); remove it.",
        _ => $"{Migration}: {What} breaks {Rule}: {Why} " +
             $"Expand/contract: {HowToSplit} If it is safe here, mark the migration " +
             $"[ExpandContractReviewed(ExpandContractRule.{Rule}, \"<why>\")] after review.",
    };

    /// <summary>The <see cref="Message"/>.</summary>
    public override string ToString() => Message;

    private string What => Change is null ? "a change"
        : Change.Operation == "Sql" ? $"SQL that does {Change.Kind} on {Change.Target}"
        : $"{Change.Operation} on {Change.Target}";

    private string Why => Rule switch
    {
        ExpandContractRule.DropsTableOrColumn => "the release still serving reads and writes it.",
        ExpandContractRule.RenamesTableOrColumn => "the release still serving knows only the old name.",
        ExpandContractRule.ChangesColumnType => "the release still serving reads and writes the old type, and the table is rewritten under an exclusive lock.",
        ExpandContractRule.NotNullWithoutDefault => "the release still serving inserts rows without it.",
        _ => "writes to the table wait until a plain CREATE INDEX has built.",
    };

    private string HowToSplit => Rule switch
    {
        ExpandContractRule.DropsTableOrColumn =>
            "release N stops using it and keeps the schema; a migration of a later release drops it (the contract step, reviewed).",
        ExpandContractRule.RenamesTableOrColumn =>
            "add the new name beside the old (expand), write both and backfill, move the code to the new name, then drop the old one in a later release (contract, reviewed).",
        ExpandContractRule.ChangesColumnType =>
            "add a column of the new type (expand), keep it in step and backfill it in batches (BackfillInBatches), move the code to it, then drop the old column in a later release (contract, reviewed).",
        ExpandContractRule.NotNullWithoutDefault =>
            "give the column a default in the same migration, or keep it nullable until every running release writes it; then backfill and set NOT NULL online (SetNotNullOnline).",
        _ => "build it with migrationBuilder.CreateIndexConcurrently(…) (SafeMigrations.Online), or .IsCreatedConcurrently() on the model's index.",
    };
}
