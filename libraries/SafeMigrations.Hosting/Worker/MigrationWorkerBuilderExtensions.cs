using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace SafeMigrations.Hosting;

/// <summary>The migration worker in the graph: a project that migrates its databases, seeds, and exits.</summary>
public static class MigrationWorkerBuilderExtensions
{
    /// <summary>Where the app's image carries the worker (its publish output's folder): the init container runs <c>/app/{folder}/{worker}</c>.</summary>
    public const string PublishedWorkerFolder = "migrator";

    /// <summary>
    /// Adds the worker project <typeparamref name="TProject"/> as <paramref name="name"/>, with the AppHost's
    /// <c>Migrations:Target</c>, <c>AllowDataLoss</c>, <c>AllowOutOfOrder</c> and <c>Repair</c> forwarded to it (refused
    /// when publishing, with one line). In run mode it carries the dashboard's migration commands (Status, Pending SQL,
    /// Migrate to latest, Migrate to…, Reset database); published, it is an Azure Container Apps job with a manual
    /// trigger, which no deployment starts. Name its databases with <see cref="WithDatabase"/>.
    /// </summary>
    /// <param name="builder">The AppHost's builder.</param>
    /// <param name="name">The worker's resource name.</param>
    /// <param name="options">Choices that are not configuration; by default none.</param>
    /// <exception cref="SafeMigrationsSettingException">A <c>Migrations:*</c> setting when publishing.</exception>
    public static IResourceBuilder<ProjectResource> AddMigrationWorker<TProject>(this IDistributedApplicationBuilder builder,
        [ResourceName] string name, MigrationWorkerOptions? options = null)
        where TProject : IProjectMetadata, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);

        options ??= new MigrationWorkerOptions();
        var annotation = new MigrationWorkerAnnotation(options);
        var worker = builder.AddProject<TProject>(name).WithAnnotation(annotation);
        MigrationSettings.Forward(worker, options);
        AzdDeployment.PublishAsModule(worker, context => MigrationsJobModule.WriteAsync(context, worker.Resource, annotation));
        return worker;
    }

    /// <summary>
    /// Has the worker migrate <paramref name="database"/> as its admin (creating the database and its roles, migrating as
    /// the owner role) once the database is healthy, and keep <paramref name="webLogin"/>'s role: it creates the role,
    /// grants it rows only and sets its password. Databases are migrated in the order they are added. Published to Azure,
    /// the database also gets a migrator login, <c>{database name}-migrator</c>, with which the web app's init container
    /// migrates (<see cref="WaitForMigrations"/>); the worker's job keeps the admin's.
    /// </summary>
    /// <param name="worker">A worker added with <see cref="AddMigrationWorker"/>.</param>
    /// <param name="database">The database, read by the worker as <c>ConnectionStrings:{database name}</c>.</param>
    /// <param name="webLogin">The web app's login to it (<see cref="WebLoginBuilderExtensions.AddWebLogin"/>), if any.</param>
    public static IResourceBuilder<ProjectResource> WithDatabase(this IResourceBuilder<ProjectResource> worker,
        IResourceBuilder<IResourceWithConnectionString> database, IResourceBuilder<IResourceWithConnectionString>? webLogin = null)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentNullException.ThrowIfNull(database);
        var annotation = WorkerAnnotation(worker, nameof(worker));

        worker.WithReference(database).WaitFor(database);
        if (webLogin is not null)
        {
            worker.WithReference(webLogin);
        }

        annotation.Add(new MigratedDatabase(database.Resource, webLogin?.Resource, MigratorLogin.AddFor(database)));
        MigrationCommands.AddTo(worker, annotation);
        return worker;
    }

    /// <summary>
    /// Starts <paramref name="app"/> only once the worker exited 0 (<c>WaitForCompletion</c>). Published — where nothing
    /// waits — each new revision of the app runs the worker first, as an init container from the app's own image (the
    /// app's project publishes the worker into <c>migrator/</c> of its output), so it never serves an unmigrated schema:
    /// an Azure Container App with probes, its connection strings as secrets, and the settings of <paramref name="configure"/>.
    /// </summary>
    /// <param name="app">The app that needs the migrated schema.</param>
    /// <param name="worker">A worker added with <see cref="AddMigrationWorker"/>.</param>
    /// <param name="configure">The deployment's probes and settings; by default <c>/health</c> and <c>/alive</c>.</param>
    public static IResourceBuilder<ProjectResource> WaitForMigrations(this IResourceBuilder<ProjectResource> app,
        IResourceBuilder<ProjectResource> worker, Action<ContainerAppOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(worker);
        var annotation = WorkerAnnotation(worker, nameof(worker));

        var options = new ContainerAppOptions();
        configure?.Invoke(options);
        app.WaitForCompletion(worker);
        AzdDeployment.PublishAsModule(app, context => ContainerAppModule.WriteAsync(context, app.Resource, worker.Resource, annotation, options));
        return app;
    }

    private static MigrationWorkerAnnotation WorkerAnnotation(IResourceBuilder<ProjectResource> worker, string parameterName) =>
        worker.Resource.Annotations.OfType<MigrationWorkerAnnotation>().SingleOrDefault()
        ?? throw new ArgumentException($"'{worker.Resource.Name}' is not a migration worker: add it with {nameof(AddMigrationWorker)}.", parameterName);
}
