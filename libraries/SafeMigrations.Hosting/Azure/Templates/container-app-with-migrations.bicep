// A web app as a Container App whose every new revision migrates the database first: each replica runs the migration
// worker (published into this same image) as an init container, and the app's container starts only once it exited 0.
// In single-revision mode the new revision takes traffic only once a replica is ready, so it never serves an unmigrated
// schema, and on a failed migration the previous revision keeps serving. Probes ask the app itself: readiness (which
// also fails while a migration is pending) and liveness.
// azd deploys this module for the app's manifest entry (project.v1, written by SafeMigrations.Hosting's
// WaitForMigrations when publishing) instead of its own Container App template, which declares no probes. On this path
// azd ignores the manifest's environment: the app gets its connection strings and settings as the parameters below.
// Aspire's Azure Container Apps integration (WithHttpProbe + Aspire.Hosting.Azure.AppContainers) generates the probes
// where that package is available.

@description('The location for the app. azd does not pass it; the resource group location is used.')
param location string = resourceGroup().location

@description('Resource id of the Container Apps environment azd created ({.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}).')
param containerAppsEnvironmentId string

@description('Image azd built and pushed for the app ({{{resourceName}}.containerImage}); it carries the migration worker too.')
param containerImage string

@description('Login server of the registry azd created ({.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}).')
param containerRegistryEndpoint string

@description('User-assigned identity with AcrPull on that registry ({.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}).')
param managedIdentityId string

{{connectionStringParameters}}

{{settingParameters}}

@description('Readiness probe path: the app answers 503 there while a migration is pending.')
param readinessProbePath string = '/health'

@description('Seconds the readiness probe waits for an answer: longer than the app takes to answer it.')
@minValue(1)
param readinessProbeTimeoutSeconds int = 5

@description('Liveness probe path: the process answers.')
param livenessProbePath string = '/alive'

@description('Port the app listens on: the .NET container images default to 8080.')
param targetPort int = 8080

@description('''At most this many replicas, within the database's connection budget: each holds up to databaseMaxPoolSize
connections, and the previous revision's replicas run beside the new ones during a deployment; 2 on the smallest
Azure Database for PostgreSQL server.''')
@minValue(1)
param maxReplicas int = 2

@description('''Connections one app process may hold (its pool's maximum; passed to the app when it names the setting, so that
the budget below and the app agree): 5 on the smallest Azure Database for PostgreSQL server.''')
@minValue(1)
param databaseMaxPoolSize int = 5

@description('Name of the Container App.')
@minLength(2)
@maxLength(32)
param appName string = '{{resourceName}}'

@description('Extra tags for the app.')
param tags object = {}

// The web logins' CONNECTION LIMIT, which the init container sets and the server enforces: every replica of the previous
// and the new revision (side by side during a rollout) with a full pool.
var webConnectionLimit = 2 * maxReplicas * databaseMaxPoolSize

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, {
    'aspire-resource-name': '{{resourceName}}'
    'azd-service-name': '{{resourceName}}'
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
        {{secrets}}
      ]
    }
    template: {
      // Runs to completion in every new replica before the app's container starts (Container Apps runs init containers
      // in order and starts the app's containers only after each exited 0). The worker waits only for the database,
      // which `azd provision` created before any deployment, so this cannot deadlock; it exits within its connect, lock
      // and command timeouts, and a failure is retried by the platform while the previous revision keeps serving.
      initContainers: [
        {
          name: '{{workerName}}'
          image: containerImage
          command: [
            '{{workerCommand}}'
          ]
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {{initEnvironment}}
            {
              name: 'Migrations__WebConnectionLimit'
              value: string(webConnectionLimit)
            }
          ]
        }
      ]
      containers: [
        {
          name: '{{resourceName}}'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: [
            {{environment}}
          ]
          probes: [
            {
              type: 'Readiness'
              httpGet: {
                path: readinessProbePath
                port: targetPort
              }
              periodSeconds: 5
              // Above the app's own bound for its answer (a web app built on this solution answers /health within its
              // health check timeout, 3 s, even when the database does not): the platform's default of 1 s would count a
              // slow 503 or 200 as no answer.
              timeoutSeconds: readinessProbeTimeoutSeconds
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
