// The migration worker as an Azure Container Apps job with a manual trigger, which no deployment starts: deployments
// migrate through the web app's init container (container-app-with-migrations.bicep). This job is for explicit runs,
// e.g. a rollback to a target: an operator starts one execution with this job's image and the arguments given. A
// Container App would restart the exiting worker forever; a job runs it to completion and records whether it
// succeeded. azd deploys this module for the worker's manifest entry (project.v1, written by SafeMigrations.Hosting's
// AddMigrationWorker when publishing). Aspire's PublishAsAzureContainerAppJob (Aspire.Hosting.Azure.AppContainers)
// generates the equivalent of this file where that package is available.

@description('The location for the job. azd does not pass it; the resource group location is used.')
param location string = resourceGroup().location

@description('Resource id of the Container Apps environment azd created ({.outputs.AZURE_CONTAINER_APPS_ENVIRONMENT_ID}).')
param containerAppsEnvironmentId string

@description('Image azd built and pushed for the worker project ({{{resourceName}}.containerImage}).')
param containerImage string

@description('Login server of the registry azd created ({.outputs.AZURE_CONTAINER_REGISTRY_ENDPOINT}).')
param containerRegistryEndpoint string

@description('User-assigned identity with AcrPull on that registry ({.outputs.AZURE_CONTAINER_REGISTRY_MANAGED_IDENTITY_ID}).')
param managedIdentityId string

{{connectionStringParameters}}

@description('Name of the job. Scripts find the job by its aspire-resource-name tag, not by this name.')
@minLength(2)
@maxLength(32)
param jobName string = '{{resourceName}}'

@description('Extra tags for the job.')
param tags object = {}

resource job 'Microsoft.App/jobs@2025-01-01' = {
  name: jobName
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
        {{secrets}}
      ]
    }
    template: {
      containers: [
        {
          name: '{{resourceName}}'
          image: containerImage
          resources: {
            cpu: json('0.5')
            memory: '1Gi'
          }
          // An execution that names its image replaces the container: whoever starts one repeats these.
          env: [
            {{environment}}
          ]
        }
      ]
    }
  }
}

@description('Name of the job.')
output name string = job.name
