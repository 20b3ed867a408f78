// The web app as a Container App whose every new revision migrates the database first: each replica runs the migration
// worker (published into this same image under /app/migrator) as an init container, and the web container starts only
// once it exited 0. In single-revision mode the new revision takes traffic only once a replica is ready, so it never
// serves an unmigrated schema, and on a failed migration the previous revision keeps serving. Probes ask the app itself:
// readiness = /health (also fails while a migration is pending), liveness = /alive.
// azd deploys this module for the `webapp` manifest entry (project.v1, written by AzdDeploymentExtensions.cs) instead
// of its own Container App template, which declares no probes. Aspire's Azure Container Apps integration
// (WithHttpProbe + Aspire.Hosting.Azure.AppContainers) generates the probes where that package is available.

@description('The location for the app. azd does not pass it; the resource group location is used.')
param location string = resourceGroup().location

@description('Resource id of the Container Apps environment azd created ({.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}).')
param containerAppsEnvironmentId string

@description('Image azd built and pushed for the webapp project ({webapp.containerImage}); it carries the migration worker too.')
param containerImage string

@description('Login server of the registry azd created ({.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}).')
param containerRegistryEndpoint string

@description('User-assigned identity with AcrPull on that registry ({.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}).')
param managedIdentityId string

@secure()
@description('The app\'s own connection string to the appdb database ({appdb-web.connectionString}): its role appdb_web, never the admin; it contains the password.')
param appdbConnectionString string

@secure()
@description('The admin\'s connection string to the appdb database ({appdb.connectionString}), for the init container only: the worker creates the database and the roles, sets the web role\'s password and migrates.')
param migrationsAppdbConnectionString string

@description('Readiness probe path: the app answers 503 there while a migration is pending.')
param readinessProbePath string = '/health'

@description('Liveness probe path: the process answers.')
param livenessProbePath string = '/alive'

@description('''Networks the ingress proxy connects from (comma-separated CIDR ranges): only a hop from these may set the
client's address and scheme (X-Forwarded-For, X-Forwarded-Proto). The Container Apps ingress reaches the app from the
environment's private network, which the private ranges cover; narrow this to the environment's subnet if it has one.''')
param trustedProxyNetworks string = '10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10'

@description('Port the app listens on: the .NET container images default to 8080.')
param targetPort int = 8080

@description('''At most this many replicas, within the database's connection budget (docs/deploy.md, connection budget): each
holds up to databaseMaxPoolSize connections, and the previous revision's replicas run beside the new ones during a
deployment; 2 on the default Standard_B1ms server.''')
@minValue(1)
param maxReplicas int = 2

@description('''Connections one web app process may hold (its Database:MaxPoolSize, set here so that the budget below and the
app agree): 5 on the default Standard_B1ms server.''')
@minValue(1)
param databaseMaxPoolSize int = 5

@description('Name of the Container App.')
@minLength(2)
@maxLength(32)
param appName string = 'webapp'

@description('Extra tags for the app.')
param tags object = {}

// The web role's CONNECTION LIMIT, which the init container sets and the server enforces: every replica of the previous
// and the new revision (side by side during a rollout) with a full pool (docs/deploy.md, connection budget).
var webConnectionLimit = 2 * maxReplicas * databaseMaxPoolSize

var connectionStringSecretName = 'appdb-connection-string'
var migrationsConnectionStringSecretName = 'migrations-appdb-connection-string'

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'aspire-resource-name': 'webapp'
    'azd-service-name': 'webapp'
  })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${managedIdentityId}': {}
    }
  }
  properties: {
    environmentId: containerAppsEnvironmentId
    configuration: {
      // One revision at a time: the previous one keeps serving until the new one is ready.
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: targetPort
        transport: 'http'
        allowInsecure: false
        // Each replica signs antiforgery tokens with its own Data Protection keys: keep a browser on one replica.
        stickySessions: {
          affinity: 'sticky'
        }
      }
      registries: [
        {
          server: containerRegistryEndpoint
          identity: managedIdentityId
        }
      ]
      secrets: [
        {
          name: connectionStringSecretName
          value: appdbConnectionString
        }
        {
          name: migrationsConnectionStringSecretName
          value: migrationsAppdbConnectionString
        }
      ]
    }
    template: {
      // Runs to completion in every new replica before the web container starts (ACA runs init containers in order and
      // starts the app's containers only after each exited 0). The worker waits only for the database, which
      // `azd provision` created before any deployment, so this cannot deadlock; it exits within its connect, lock and
      // command timeouts, and a failure is retried by the platform while the previous revision keeps serving.
      initContainers: [
        {
          name: 'migrations'
          image: containerImage
          command: [
            '/app/migrator/MigrationService'
          ]
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'ConnectionStrings__appdb'
              secretRef: migrationsConnectionStringSecretName
            }
            {
              // The web app's login: the worker keeps the role it names and sets its password.
              name: 'ConnectionStrings__appdb-web'
              secretRef: connectionStringSecretName
            }
            {
              name: 'Migrations__WebConnectionLimit'
              value: string(webConnectionLimit)
            }
          ]
        }
      ]
      containers: [
        {
          name: 'webapp'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {
              name: 'ConnectionStrings__appdb'
              secretRef: connectionStringSecretName
            }
            {
              name: 'Database__MaxPoolSize'
              value: string(databaseMaxPoolSize)
            }
            {
              // Rather than ASPNETCORE_FORWARDEDHEADERS_ENABLED=true, which believes forwarded headers from any sender.
              name: 'ForwardedHeaders__KnownNetworks'
              value: trustedProxyNetworks
            }
          ]
          probes: [
            {
              type: 'Readiness'
              httpGet: {
                path: readinessProbePath
                port: targetPort
              }
              periodSeconds: 5
              failureThreshold: 3
            }
            {
              type: 'Liveness'
              httpGet: {
                path: livenessProbePath
                port: targetPort
              }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: {
        minReplicas: 1
        maxReplicas: maxReplicas
      }
    }
  }
}

@description('Name of the Container App.')
output name string = app.name

@description('Public host name of the app.')
output fqdn string = app.properties.configuration.ingress.fqdn
