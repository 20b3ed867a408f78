using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Publishing;
using Microsoft.Extensions.DependencyInjection;

namespace SafeMigrations.Hosting.Tests;

/// <summary>
/// The deployment of a worker with two databases: the modules the library writes next to the manifest, compiled with the
/// Bicep CLI, and the parameters the manifest passes them.
/// </summary>
public sealed class PublishShapeTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"hosting-publish-{Guid.NewGuid():N}");

    public PublishShapeTests() => Directory.CreateDirectory(_directory);

    /// <summary>The <c>deployment</c> entry the manifest gets for <paramref name="project"/>.</summary>
    private async Task<JsonNode> DeploymentOfAsync(DistributedApplication app, IResource project)
    {
        var target = project.Annotations.OfType<DeploymentTargetAnnotation>().Single().DeploymentTarget;
        using var stream = new MemoryStream();
        await using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            var context = new ManifestPublishingContext(app.Services.GetRequiredService<DistributedApplicationExecutionContext>(),
                Path.Combine(_directory, "manifest.json"), writer, TestContext.Current.CancellationToken);
            await target.Annotations.OfType<ManifestPublishingCallbackAnnotation>().Single().Callback!(context);
            writer.WriteEndObject();
        }

        return JsonNode.Parse(Encoding.UTF8.GetString(stream.ToArray()))!;
    }

    private async Task<(JsonNode Worker, JsonNode Web)> PublishAsync(params string[] args)
    {
        var builder = TestAppHost.Publishing(_directory, args);
        var (worker, web) = TestAppHost.AddGraph(builder, "orders", "identity");
        web.WaitForMigrations(worker, published => published.Environment["Shop__Currency"] = "EUR");
        await using var app = builder.Build();
        return (await DeploymentOfAsync(app, worker.Resource), await DeploymentOfAsync(app, web.Resource));
    }

    private async Task<JsonNode> CompileAsync(JsonNode deployment)
    {
        var template = await BicepCli.BuildAsync(Path.Combine(_directory, (string)deployment["path"]!));
        // azd passes every parameter as given, and fails on one the module does not declare or a required one missing.
        var declared = template["parameters"]!.AsObject();
        var passed = deployment["params"]!.AsObject();
        Assert.All(passed, p => Assert.True(declared.ContainsKey(p.Key), $"'{p.Key}' is passed, not declared"));
        Assert.All(declared.Where(d => d.Value!["defaultValue"] is null), d => Assert.True(passed.ContainsKey(d.Key), $"'{d.Key}' is needed, not passed"));
        Assert.All(passed.Where(p => ((string)p.Value!).Contains(".connectionString}", StringComparison.Ordinal)),
            p => Assert.Equal("securestring", (string?)declared[p.Key]!["type"]));
        return template;
    }

    private static IEnumerable<(string Name, string Value)> Environment(JsonNode template, JsonNode container, JsonArray secrets) =>
        container["env"]!.AsArray().Select(e => ((string)e!["name"]!,
            e["secretRef"] is { } secret ? ArmTemplate.SecretValue(template, secrets, (string)secret!) : (string)e["value"]!));

    [Fact]
    public async Task The_job_gets_each_databases_admin_and_web_login_as_secrets()
    {
        var (worker, _) = await PublishAsync();

        var template = await CompileAsync(worker);

        Assert.Equal("migrations.module.bicep", (string?)worker["path"]);
        Assert.Equal("{orders.connectionString}", (string?)worker["params"]!["ordersConnectionString"]);
        Assert.Equal("{identity-web.connectionString}", (string?)worker["params"]!["identityWebConnectionString"]);
        var job = ArmTemplate.Resources(template).Single();
        var secrets = job["properties"]!["configuration"]!["secrets"]!.AsArray();
        var container = job["properties"]!["template"]!["containers"]![0]!;
        Assert.Equal("migrations", (string?)container["name"]);
        Assert.Equal([("ConnectionStrings__orders", "[parameters('ordersConnectionString')]"), ("ConnectionStrings__orders-web", "[parameters('ordersWebConnectionString')]"),
            ("ConnectionStrings__identity", "[parameters('identityConnectionString')]"), ("ConnectionStrings__identity-web", "[parameters('identityWebConnectionString')]")],
            Environment(template, container, secrets));
    }

    [Fact]
    public async Task The_app_reads_only_its_own_logins_and_settings_and_its_init_container_the_workers_too()
    {
        var (_, web) = await PublishAsync();

        var template = await CompileAsync(web);

        Assert.Equal(("/health", "/alive", "EUR"), ((string?)web["params"]!["readinessProbePath"], (string?)web["params"]!["livenessProbePath"],
            (string?)web["params"]!["shopCurrency"]));
        var app = ArmTemplate.Resources(template).Single();
        var secrets = app["properties"]!["configuration"]!["secrets"]!.AsArray();
        var revision = app["properties"]!["template"]!;
        var init = revision["initContainers"]![0]!;
        Assert.Equal(["/app/migrator/Worker"], init["command"]!.AsArray().Select(c => (string)c!));
        Assert.Equal([("ConnectionStrings__orders", "[parameters('ordersConnectionString')]"), ("ConnectionStrings__identity", "[parameters('identityConnectionString')]"),
            ("Shop__Currency", "[parameters('shopCurrency')]")], Environment(template, revision["containers"]![0]!, secrets));
        // The app holds the web logins under the names it reads them; the worker reads them under their own names.
        Assert.Equal("{orders-web.connectionString}", (string?)web["params"]!["ordersConnectionString"]);
        // The init container migrates with each database's migrator login, never the admin's (the bootstrap made the roles).
        Assert.Equal([("ConnectionStrings__orders", "[parameters('migrationsOrdersMigratorConnectionString')]"), ("ConnectionStrings__orders-web", "[parameters('ordersConnectionString')]"),
            ("ConnectionStrings__identity", "[parameters('migrationsIdentityMigratorConnectionString')]"), ("ConnectionStrings__identity-web", "[parameters('identityConnectionString')]"),
            // The web logins' connection limit, from the same replicas and pool size as the budget (no pool setting named here).
            ("Migrations__WebConnectionLimit", "[string(variables('webConnectionLimit'))]")],
            Environment(template, init, secrets));
    }

    [Fact]
    public async Task Azure_Database_for_PostgreSQL_is_the_default_and_every_login_verifies_its_certificate()
    {
        var builder = TestAppHost.Publishing(_directory);
        TestAppHost.AddGraph(builder, "orders");

        var login = builder.Resources.OfType<IResourceWithConnectionString>().Single(r => r.Name == "orders-web");

        Assert.Equal("Host={postgres.outputs.hostName};Port=5432;Database=orders;Username=orders_web;Password={orders-web-password.value};SSL Mode=VerifyFull;Maximum Pool Size=5",
            login.ConnectionStringExpression.ValueExpression);
        Assert.IsType<FlexibleServerResource>(Assert.Single(builder.Resources, r => r.Name == "postgres"));
        await Task.CompletedTask;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
