using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Migrations;

namespace TestSupport;

/// <summary>
/// A test-only migration whose Up (and Down) the test gives: no [Migration] attribute, so EF Core never finds or
/// applies it. Compiled into the test projects that read migrations (they include this folder).
/// </summary>
public sealed class TestMigration : Migration
{
    /// <summary>The active provider EF Core sets on the migrations of an Npgsql context.</summary>
    public static readonly string Provider = typeof(NpgsqlMigrationBuilderExtensions).Assembly.GetName().Name!;

    private readonly Action<MigrationBuilder> _up;
    private readonly Action<MigrationBuilder> _down;

    public TestMigration(Action<MigrationBuilder> up, Action<MigrationBuilder>? down = null)
    {
        _up = up;
        _down = down ?? (_ => { });
        ActiveProvider = Provider;
    }

    protected override void Up(MigrationBuilder migrationBuilder) => _up(migrationBuilder);

    protected override void Down(MigrationBuilder migrationBuilder) => _down(migrationBuilder);
}
