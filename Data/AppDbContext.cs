using Microsoft.EntityFrameworkCore;

namespace Data;

/// <summary>The application's database: the to-do list.</summary>
public sealed class AppDbContext(DbContextOptions<AppDbContext> options) : DbContext(options)
{
    public DbSet<TodoItem> Todos => Set<TodoItem>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        var todo = modelBuilder.Entity<TodoItem>();
        todo.ToTable("Todos");
        todo.Property(t => t.Title).HasMaxLength(TodoItem.TitleMaxLength);
        todo.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
        // Written by the database only (default and trigger, see the AddUpdatedAt migration); EF reads it back.
        todo.Property(t => t.UpdatedAt).HasDefaultValueSql("now()").ValueGeneratedOnAddOrUpdate();
        // "Changed since" queries (sync, recent activity) read it in order.
        todo.HasIndex(t => t.UpdatedAt);
        // The list's order, key for key (WebApp's TodoListOrder): a page is one short range of it, wherever it starts.
        todo.HasIndex(t => new { t.IsDone, t.DueDate, t.Id });
    }
}
