// Azure Database for PostgreSQL – Flexible Server: the durable, managed database a deployment gets by default.
// azd deploys this module at `azd provision`, before any service, for the top-level server entry of the manifest (written
// by SafeMigrations.Hosting's AddPostgresServer when publishing). Shaped like what Aspire's AddAzurePostgresFlexibleServer
// provisions with password authentication (Aspire.Hosting.Azure.PostgreSQL), with three differences: no Key Vault (the
// manifest composes the connection strings from `hostName` and azd's generated parameters), the PostgreSQL major pinned
// like the local container, and no database resource (the migration worker creates each database as the admin, so the
// admin owns it).

@description('The location for the server. azd passes its environment\'s location.')
param location string = resourceGroup().location

@description('The admin\'s user name (the parameter {{resourceName}}-admin): generated once by azd. Cannot change once the server exists.')
@minLength(1)
@maxLength(63)
param administratorLogin string

@secure()
@description('The admin\'s password (the parameter {{resourceName}}-password): generated once by azd and kept in its environment.')
param administratorLoginPassword string

@description('Compute size. Standard_B1ms (Burstable, 1 vCore, 2 GiB, 50 connections of which 35 for users) is the smallest.')
param skuName string = 'Standard_B1ms'

@description('Pricing tier of skuName: Burstable (B), GeneralPurpose (D) or MemoryOptimized (E).')
@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'Burstable'

@description('PostgreSQL major version: the one the local container pins. A major upgrade is an explicit server operation.')
param version string = '17'

@description('Storage in GiB; it can grow, never shrink.')
param storageSizeGB int = 32

@description('Days of point-in-time restore (7 to 35). Backups are the service\'s: automatic, locally redundant.')
@minValue(7)
@maxValue(35)
param backupRetentionDays int = 7

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2025-08-01' = {
  name: take('{{resourceName}}-${uniqueString(resourceGroup().id)}', 63)
  location: location
  tags: {
    'aspire-resource-name': '{{resourceName}}'
  }
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorLoginPassword
    authConfig: {
      activeDirectoryAuth: 'Disabled'
      passwordAuth: 'Enabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: 'Disabled'
    }
    availabilityZone: '1'
  }
}

// "Allow public access from any Azure service" (0.0.0.0): the Container Apps environment azd creates has no VNet and
// so no fixed outbound address to list. It admits every Azure client, other customers' included; what keeps them out is
// the generated password, TLS verified in full, and the web app's least-privilege role (see docs/deploy.md).
resource allowAzureServices 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2025-08-01' = {
  parent: server
  name: 'AllowAllAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// TLS is required by default; pinned here so that nobody turns it off unnoticed. After the firewall rule: a server
// takes one change at a time.
resource requireTls 'Microsoft.DBforPostgreSQL/flexibleServers/configurations@2025-08-01' = {
  parent: server
  name: 'require_secure_transport'
  properties: {
    value: 'on'
    source: 'user-override'
  }
  dependsOn: [
    allowAzureServices
  ]
}

@description('The server\'s name, for az postgres flexible-server commands.')
output name string = server.name

@description('The server\'s host name: what the connection strings and TLS verification use.')
output hostName string = server.properties.fullyQualifiedDomainName
