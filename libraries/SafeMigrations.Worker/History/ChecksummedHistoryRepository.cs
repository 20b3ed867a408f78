using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql.EntityFrameworkCore.PostgreSQL.Migrations.Internal;

// The whole file subclasses Npgsql's history repository, an "internal" API by EF Core's convention (see the remarks).
#pragma warning disable EF1001

namespace SafeMigrations.Worker;

/// <summary>
/// Npgsql's history repository, whose history row of a migration carries its checksum (<see cref="MigrationChecksumStore"/>):
/// the script that records a migration applied also records its checksum, and the one that removes it also forgets it.
/// EF Core puts those scripts last in the migration's own commands, so both commit in the migration's transaction. A
/// migration whose operations suppress the transaction gets its history script outside one too (EF Core's rule); the two
/// statements then go in one command, which PostgreSQL runs as one implicit transaction: still both or neither.
/// </summary>
/// <remarks>
/// EF Core's documented way to change the history (ReplaceService of <see cref="IHistoryRepository"/>, subclassing the
/// provider's repository), which the worker sets on each context it registers. Subclassing Npgsql's repository takes its
/// "internal" API (EF1001): it keeps Npgsql's locking and table creation, and may need a change on an Npgsql upgrade.
/// The same scripts go into <c>--script</c>, so a database migrated from it has its checksums too.
/// </remarks>
internal sealed class ChecksummedHistoryRepository(HistoryRepositoryDependencies dependencies, IMigrationsAssembly migrations)
    : NpgsqlHistoryRepository(dependencies)
{
    /// <summary>Sets it on a context's options (what <see cref="MigrationWorkerBuilder.AddContext{TContext}"/> does).</summary>
    public static void Use(DbContextOptionsBuilder options) => options.ReplaceService<IHistoryRepository, ChecksummedHistoryRepository>();

    private DbContext Context => Dependencies.CurrentContext.Context;

    /// <summary>The history table, then the checksums' table: both exist before the first migration runs.</summary>
    public override string GetCreateIfNotExistsScript() =>
        base.GetCreateIfNotExistsScript() + MigrationChecksumStore.CreateSql(HistoryTables.Checksums(Context)) + SqlGenerationHelper.StatementTerminator + Environment.NewLine;

    /// <summary>The history row, and the migration's checksum (replacing one a reverted run may have left).</summary>
    public override string GetInsertScript(HistoryRow row)
    {
        var checksum = MigrationChecksum.Of(migrations, Context.Database.ProviderName!, row.MigrationId);
        return base.GetInsertScript(row)
               + MigrationChecksumStore.RecordSql(HistoryTables.Checksums(Context), Literal(row.MigrationId), Literal(checksum))
               + SqlGenerationHelper.StatementTerminator + Environment.NewLine;
    }

    /// <summary>The history row's removal, and its checksum's: applied again, the migration is recorded again.</summary>
    public override string GetDeleteScript(string migrationId) =>
        base.GetDeleteScript(migrationId)
        + MigrationChecksumStore.ForgetSql(HistoryTables.Checksums(Context), $"= {Literal(migrationId)}")
        + SqlGenerationHelper.StatementTerminator + Environment.NewLine;

    private string Literal(string value) => Dependencies.TypeMappingSource.GetMapping(typeof(string)).GenerateSqlLiteral(value);
}
