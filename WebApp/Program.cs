using Data;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<AppDbContext>("appdb");
builder.Services.AddHealthChecks().AddCheck<PendingMigrationsHealthCheck>(PendingMigrationsHealthCheck.Name);

builder.Services.AddRazorPages();
builder.Services.AddValidation();
builder.Services.AddProblemDetails();

// The app takes one-line forms and small JSON documents, a few KiB at the very most: Kestrel refuses a bigger body
// instead of reading it (the API answers 413).
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = 8 * 1024);

var app = builder.Build();

if (!app.Environment.IsDevelopment())
{
    // Problem details without exception details (Development shows the developer exception page instead).
    app.UseExceptionHandler();
}

app.UseStatusCodePages();
app.UseStaticFiles();
app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapTodoApi();

app.Run();
