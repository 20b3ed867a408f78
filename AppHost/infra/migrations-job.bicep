// The MigrationService as an Azure Container Apps job with a manual trigger, which no deployment starts: deployments
// migrate through the web app's init container (webapp.bicep). This job is for explicit runs, e.g. a rollback to a
// target: scripts/run-migrations-job.sh starts one execution with this job's image and the arguments given, and
// stops it on timeout or interrupt. A Container App would restart the exiting worker forever; a job runs it to
// completion and records whether it succeeded. azd deploys this module for the `migrations` manifest entry
// (project.v1, written by AzdDeploymentExtensions.cs). Aspire's PublishAsAzureContainerAppJob
// (Aspire.Hosting.Azure.AppContainers) generates the equivalent of this file where that package is available.

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

@description('Name of the job. scripts/run-migrations-job.sh finds the job by its aspire-resource-name tag, not by this name.')
@minLength(2)
@maxLength(32)
param jobName string = 'migrations'

@description('Extra tags for the job.')
param tags object = {}

var connectionStringSecretName = 'appdb-connection-string'
var webConnectionStringSecretName = 'appdb-web-connection-string'

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
      // A run that takes longer than 30 minutes is stopped and the execution fails.
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
          // scripts/run-migrations-job.sh repeats these (an execution that names its image replaces the container).
          env: [
            {
              name: 'ConnectionStrings__appdb'
              secretRef: connectionStringSecretName
            }
            {
              name: 'ConnectionStrings__appdb-web'
              secretRef: webConnectionStringSecretName
            }
          ]
        }
      ]
    }
  }
}

@description('Name of the job.')
output name string = job.name
