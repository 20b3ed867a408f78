using System.Reflection;
using System.Reflection.Emit;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace SafeMigrations.Tests;

/// <summary>
/// A migrations assembly made at run time, holding exactly the migrations a test names: what the check is given in a
/// team's test, without the other throwaway migrations of this assembly.
/// </summary>
internal static class ThrowawayMigrationsAssembly
{
    private static int _made;

    /// <summary>
    /// An assembly with one migration per (<paramref name="migrations"/>' id, body): a class deriving from the body
    /// (its Up, its markers), with <c>[DbContext(typeof(ThrowawayContext))]</c> and <c>[Migration(id)]</c>, as EF Core
    /// generates them.
    /// </summary>
    public static Assembly With(params (string Id, Type Body)[] migrations)
    {
        var name = $"ThrowawayMigrations{Interlocked.Increment(ref _made)}";
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName(name), AssemblyBuilderAccess.RunAndCollect);
        var module = assembly.DefineDynamicModule(name);
        foreach (var (id, body) in migrations)
        {
            var type = module.DefineType($"{name}.Migration{id}", TypeAttributes.Public | TypeAttributes.Sealed, body);
            type.SetCustomAttribute(new CustomAttributeBuilder(
                typeof(DbContextAttribute).GetConstructor([typeof(Type)])!, [typeof(ThrowawayContext)]));
            type.SetCustomAttribute(new CustomAttributeBuilder(typeof(MigrationAttribute).GetConstructor([typeof(string)])!, [id]));
            type.DefineDefaultConstructor(MethodAttributes.Public);
            type.CreateType();
        }

        return assembly;
    }
}
