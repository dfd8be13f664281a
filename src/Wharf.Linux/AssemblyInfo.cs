using System.Runtime.Versioning;

// Wharf only runs on Linux; saying so lets the platform analyzer accept Unix-only APIs.
[assembly: SupportedOSPlatform("linux")]
