using Data;
using SafeMigrations.Readiness;
using WebApp;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Pool size and timeouts come from the app's own Database section; no retries, so an outage is a 503 in seconds.
var databaseLimits = DatabaseLimits.From(builder.Configuration);
builder.AddNpgsqlDbContext<AppDbContext>("appdb", settings =>
{
    settings.ConnectionString = databaseLimits.ApplyTo(settings.ConnectionString);
    settings.DisableRetry = true;
    // Readiness reads the database itself, which also proves it answers: one connection per probe interval, not two.
    settings.DisableHealthChecks = true;
});
// Readiness: this build's migrations applied; one cached, lock-tolerant read per interval (HealthChecks:ReadinessInterval).
builder.Services.AddHealthChecks().AddMigrationReadiness<AppDbContext>();

builder.Services.AddRazorPages();
builder.Services.AddValidation();
builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.AddTrustedProxy()
    .AddRequestRateLimiting()
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
app.UseRateLimiter();
if (!app.Environment.IsDevelopment())
{
    // Problem details (API) or the friendly error page (pages), without exception details; 503 when the database is
    // down (Development shows the developer exception page instead).
    app.UseExceptionHandler(new ExceptionHandlerOptions
    {
        StatusCodeSelector = DatabaseOutage.StatusCodeFor,
        ExceptionHandlingPath = "/Error",
    });
}

app.UseStatusCodePages();
app.UseCookiePolicy();
app.UseStaticFiles();
app.MapDefaultEndpoints();
app.MapRazorPages();
app.MapTodoApi();

app.Run();
