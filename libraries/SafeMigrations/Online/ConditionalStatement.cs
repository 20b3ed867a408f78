using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// A DDL statement run on its own (outside the migration's transaction) only while a catalog condition says it is
/// still to do: what makes a step safe to run twice where PostgreSQL has no <c>IF NOT EXISTS</c>.
/// </summary>
internal static class ConditionalStatement
{
    public static void Add(MigrationBuilder migrationBuilder, string condition, string statement) => migrationBuilder.Sql(
        $$"""
        DO $$
        BEGIN
            IF {{condition}} THEN
                {{statement}}
            END IF;
        END $$;
        """,
        suppressTransaction: true);
}
