using Data;
using MigrationService;

namespace FastTests;

/// <summary>A migration that breaks an <see cref="ExpandContractRule"/>: which one, with what operation, and how to split it.</summary>
public sealed record ExpandContractFinding(string Migration, SchemaChange Change, ExpandContractRule Rule)
{
    /// <summary>The failure line: the migration, the operation, the rule, the way to split the change, and the marker.</summary>
    public override string ToString() =>
        $"{Migration}: {What} breaks {Rule}: {Why} " +
        $"Expand/contract: {HowToSplit} If it is safe here, mark the migration " +
        $"[ExpandContractReviewed(ExpandContractRule.{Rule}, \"<why>\")] after review.";

    private string What => Change.Operation == "Sql"
        ? $"SQL that does {Change.Kind} on {Change.Target}"
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
        _ => "build it with migrationBuilder.CreateIndexConcurrently(…) (Data/OnlineMigrations), or .IsCreatedConcurrently() on the model's index.",
    };
}
