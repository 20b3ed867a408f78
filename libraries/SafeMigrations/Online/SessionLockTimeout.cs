using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Online;

/// <summary>
/// Lifts the session's <c>lock_timeout</c> around statements whose waits block nobody, and puts it back after.
/// </summary>
/// <remarks>
/// <c>CREATE INDEX CONCURRENTLY</c> and <c>DROP INDEX CONCURRENTLY</c> wait for every older transaction on the table,
/// and PostgreSQL counts those waits against <c>lock_timeout</c> (measured: a build failed after the timeout and left
/// an INVALID index). Their lock (SHARE UPDATE EXCLUSIVE) does not conflict with reads or writes, so a long wait harms
/// no one: <c>statement_timeout</c> bounds it instead. The value in force is saved in a placeholder setting and put
/// back, so this works whatever the session's timeout was; if the statement fails, the session is ended or its
/// settings applied again by whoever retries (the migration worker does both).
/// </remarks>
internal static class SessionLockTimeout
{
    private const string Saved = "migrations.saved_lock_timeout";

    public static void Suspend(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(
        $"SELECT set_config('{Saved}', current_setting('lock_timeout'), false), set_config('lock_timeout', '0', false);",
        suppressTransaction: true);

    public static void Restore(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(
        $"SELECT set_config('lock_timeout', current_setting('{Saved}'), false);",
        suppressTransaction: true);
}
