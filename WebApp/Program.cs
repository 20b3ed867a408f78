using Data;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddNpgsqlDbContext<AppDbContext>("appdb");
builder.Services.AddHealthChecks().AddCheck<PendingMigrationsHealthCheck>(PendingMigrationsHealthCheck.Name);

builder.Services.AddRazorPages();
builder.Services.AddValidation();
builder.Services.AddProblemDetails();
builder.AddTrustedProxy()
    .AddCookieSecurity();

builder.WebHost.ConfigureKestrel(kestrel =>
{
    // The app takes one-line forms and small JSON documents, a few KiB at the very most: Kestrel refuses a bigger body
    // instead of reading it (the API answers 413).
    kestrel.Limits.MaxRequestBodySize = 8 * 1024;
    // No "Server: Kestrel": nothing to tell a scanner.
    kestrel.AddServerHeader = false;
});

var app = builder.Build();

app.UseForwardedHeaders();
app.UseSecurityHeaders();
if (!app.Environment.IsDevelopment())
{
    // Problem details without exception details (Development shows the developer exception page instead).
    app.UseExceptionHandler();
}

app.UseStatusCodePages();
app.UseCookiePolicy();
app.UseStaticFiles();
app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapTodoApi();

app.Run();
