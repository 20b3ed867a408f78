using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace SafeMigrations.Worker;

/// <summary>
/// The schema a context's applied migrations build, as EF Core knows it: the target model of the last applied
/// migration, finalized as EF Core's migrator finalizes it, and its relational model (tables, columns, keys, indexes,
/// constraints, sequences). What a migration creates by SQL is not in it.
/// </summary>
internal static class MigratedSchema
{
    /// <summary>The schema after <paramref name="lastApplied"/> (null: nothing applied, an empty schema).</summary>
    public static SchemaShape Of(DbContext context, string? lastApplied)
    {
        if (lastApplied is null)
        {
            return new(new Dictionary<string, TableShape>(), new HashSet<string>());
        }

        var assembly = context.GetService<IMigrationsAssembly>();
        var migration = assembly.CreateMigration(assembly.Migrations[lastApplied], context.Database.ProviderName!);
        var model = context.GetService<IModelRuntimeInitializer>().Initialize(migration.TargetModel).GetRelationalModel();
        var defaultSchema = model.Model.GetDefaultSchema() ?? DriftNames.DefaultSchema;

        var tables = model.Tables.Where(t => !t.IsExcludedFromMigrations).Select(table =>
        {
            var schema = table.Schema ?? defaultSchema;
            var store = StoreObjectIdentifier.Table(table.Name, table.Schema);
            var columns = table.Columns.ToDictionary(c => c.Name, c => Column(c, store));
            var indexes = table.Indexes.ToDictionary(i => i.Name,
                i => new IndexShape(i.IsUnique, DriftNames.Columns(i.Columns.Select(c => c.Name)), i.Filter is not null));
            var constraints = new Dictionary<string, ConstraintShape>();
            foreach (var key in table.UniqueConstraints)
            {
                constraints[key.Name] = new(key.GetIsPrimaryKey() ? DriftNames.PrimaryKey : DriftNames.Unique, DriftNames.Columns(key.Columns.Select(c => c.Name)));
            }

            foreach (var foreignKey in table.ForeignKeyConstraints)
            {
                constraints[foreignKey.Name] = new(DriftNames.ForeignKey, DriftNames.ForeignKeyDefinition(
                    foreignKey.Columns.Select(c => c.Name),
                    DriftNames.Table(foreignKey.PrincipalTable.Schema ?? defaultSchema, foreignKey.PrincipalTable.Name),
                    foreignKey.PrincipalColumns.Select(c => c.Name), OnDelete(foreignKey.OnDeleteAction)));
            }

            foreach (var check in table.CheckConstraints)
            {
                constraints[check.Name!] = new(DriftNames.Check, "");
            }

            return new TableShape(schema, table.Name, columns, indexes, constraints);
        }).ToDictionary(t => DriftNames.Table(t.Schema, t.Name));

        var sequences = model.Sequences.Select(s => DriftNames.Table(s.Schema ?? defaultSchema, s.Name)).ToHashSet();
        return new(tables, sequences);
    }

    private static ColumnShape Column(IColumn column, StoreObjectIdentifier table)
    {
        var strategies = column.PropertyMappings.Select(m => m.Property.GetValueGenerationStrategy(table)).ToList();
        var generation =
            strategies.Any(s => s is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.IdentityAlwaysColumn) ? DriftNames.Identity
            : strategies.Any(s => s is NpgsqlValueGenerationStrategy.SerialColumn or NpgsqlValueGenerationStrategy.Sequence) ? DriftNames.Sequence
            : column.ComputedColumnSql is not null ? DriftNames.Computed
            : null;
        var defaultValue = generation is not null ? null
            : column.DefaultValueSql is { } sql ? StoreTypes.Default(sql)
            : column.DefaultValue is { } value && value != DBNull.Value ? StoreTypes.Default(column.StoreTypeMapping.GenerateSqlLiteral(value))
            : null;
        return new(StoreTypes.Normalize(column.StoreType), column.IsNullable, defaultValue, generation);
    }

    private static string OnDelete(ReferentialAction action) => action switch
    {
        ReferentialAction.Cascade => "CASCADE",
        ReferentialAction.SetNull => "SET NULL",
        ReferentialAction.SetDefault => "SET DEFAULT",
        ReferentialAction.Restrict => "RESTRICT",
        _ => "NO ACTION",
    };
}
