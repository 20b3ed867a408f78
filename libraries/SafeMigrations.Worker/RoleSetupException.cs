namespace SafeMigrations.Worker;

/// <summary>
/// The roles could not be set up as configured: the admin login lacks a privilege it needs (CREATEROLE, say), or a role
/// name cannot be used. Exit code 2: running again changes nothing until the login or the configuration does.
/// </summary>
public sealed class RoleSetupException(string message) : Exception(message);
