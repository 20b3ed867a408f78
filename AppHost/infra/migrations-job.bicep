// Runs the MigrationService once per deployment as an Azure Container Apps job (manual trigger).
// A Container App would restart the exiting worker forever; a job runs it to completion and records
// whether it succeeded. azd deploys this module for the `migrations` manifest entry (project.v1, written by
// AzdDeploymentExtensions.cs); the postdeploy hook (hooks/run-migrations.*) starts the job and fails the
// deployment if the job fails. Aspire's PublishAsAzureContainerAppJob (Aspire.Hosting.Azure.AppContainers)
// generates the equivalent of this file; use it instead where that package is available.

@description('The location for the job. azd does not pass it; the resource group location is used.')
param location string = resourceGroup().location

@description('Resource id of the Container Apps environment azd created ({.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}).')
param containerAppsEnvironmentId string

@description('Image azd built and pushed for the migrations project ({migrations.containerImage}).')
param containerImage string

@description('Login server of the registry azd created ({.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}).')
param containerRegistryEndpoint string

@description('User-assigned identity with AcrPull on that registry ({.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}).')
param managedIdentityId string

@secure()
@description('Connection string of the appdb database as the admin ({appdb.connectionString}); it contains the password.')
param appdbConnectionString string

@secure()
@description('The web app\'s own connection string ({appdb-web.connectionString}): the job creates the role it names and sets its password.')
param appdbWebConnectionString string

@description('Migration to migrate to (up or down). Empty: migrate to the latest migration and seed.')
param migrationsTarget string = ''

@description('Name of the job. The postdeploy hook finds the job by its aspire-resource-name tag, not by this name.')
@minLength(2)
@maxLength(32)
param jobName string = 'migrations'

@description('Extra tags for the job.')
param tags object = {}

var connectionStringSecretName = 'appdb-connection-string'
var webConnectionStringSecretName = 'appdb-web-connection-string'

var targetEnv = empty(migrationsTarget) ? [] : [
  {
    name: 'Migrations__Target'
    value: migrationsTarget
  }
]

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
  location: location
  tags: union(tags, {
    'aspire-resource-name': 'migrations'
    'azd-service-name': 'migrations'
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
      triggerType: 'Manual'
      // A migration run that takes longer than 30 minutes is stopped and the execution fails.
      replicaTimeout: 1800
      // No platform retry: a failed migration is reported, not re-run blindly on top of a killed run's locks.
      replicaRetryLimit: 0
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
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
          name: webConnectionStringSecretName
          value: appdbWebConnectionString
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'migrations'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          env: concat(
            [
              {
                name: 'ConnectionStrings__appdb'
                secretRef: connectionStringSecretName
              }
              {
                name: 'ConnectionStrings__appdb-web'
                secretRef: webConnectionStringSecretName
              }
            ],
            targetEnv
          )
        }
      ]
    }
  }
}

@description('Name of the job, for `az containerapp job start`.')
output name string = job.name
