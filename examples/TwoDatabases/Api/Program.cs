using Api;
using Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using SafeMigrations.Readiness;

var builder = WebApplication.CreateBuilder(args);

// Each database as the API's own login (ConnectionStrings:ordersdb and :accountsdb are the web roles): rows only. No
// retries, so an outage is an error in seconds; readiness reads the databases itself.
builder.AddNpgsqlDbContext<OrdersDbContext>("ordersdb", settings =>
{
    settings.DisableRetry = true;
    settings.DisableHealthChecks = true;
});
builder.AddNpgsqlDbContext<AccountsDbContext>("accountsdb", settings =>
{
    settings.DisableRetry = true;
    settings.DisableHealthChecks = true;
});

// Readiness: this build's migrations applied, in both databases (one check per context, each named).
builder.Services.AddHealthChecks()
    .AddMigrationReadiness<OrdersDbContext>("pending-migrations-ordersdb")
    .AddMigrationReadiness<AccountsDbContext>("pending-migrations-accountsdb");

builder.Services.AddAuthorization();
builder.Services.AddIdentityApiEndpoints<IdentityUser>().AddEntityFrameworkStores<AccountsDbContext>();
builder.Services.AddProblemDetails();

var app = builder.Build();

// A body that cannot be read (malformed JSON) is the client's error: its 400 as problem details, never a 500.
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    StatusCodeSelector = e => e is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePages();
app.MapHealthChecks("/health");
app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
app.MapOrdersApi();
app.MapGroup("/api/account").MapIdentityApi<IdentityUser>();
app.MapUsersApi();

app.Run();
