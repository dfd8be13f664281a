using System.Globalization;
using System.Text.Json.Nodes;
using Wharf.Cli.Cli;

namespace Wharf.Cli.Commands;

/// <summary>The health check flags of <c>run</c>/<c>create</c> and their Config.Healthcheck (docker cli opts.go).</summary>
internal static class HealthOptions
{
    public static readonly FlagSpec[] Flags =
    [
        FlagSpec.String("health-cmd", null, "Command to run to check health"),
        FlagSpec.String("health-interval", null, "Time between running the check (ms|s|m|h) (default 0s)", "duration"),
        FlagSpec.String("health-retries", null, "Consecutive failures needed to report unhealthy", "int"),
        FlagSpec.String("health-start-interval", null, "Time between running the check during the start period (ms|s|m|h) (default 0s)", "duration"),
        FlagSpec.String("health-start-period", null, "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)", "duration"),
        FlagSpec.String("health-timeout", null, "Maximum time to allow one check to run (ms|s|m|h) (default 0s)", "duration"),
        FlagSpec.Bool("no-healthcheck", null, "Disable any container-specified HEALTHCHECK"),
    ];

    /// <summary>Null when no health flag is given (the image's check applies).</summary>
    public static JsonObject? Build(ParsedFlags f)
    {
        var cmd = f.String("health-cmd") ?? "";
        long interval = Duration(f, "health-interval"), timeout = Duration(f, "health-timeout"),
            startPeriod = Duration(f, "health-start-period"), startInterval = Duration(f, "health-start-interval");
        long retries = 0;
        if (f.String("health-retries") is { Length: > 0 } r && !long.TryParse(r, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out retries))
        {
            throw new UsageException($"invalid argument \"{r}\" for \"--health-retries\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax");
        }
        bool any = cmd.Length > 0 || interval != 0 || timeout != 0 || startPeriod != 0 || retries != 0 || startInterval != 0;
        if (f.Bool("no-healthcheck"))
        {
            if (any)
            {
                throw new CliErrorException("--no-healthcheck conflicts with --health-* options", 125);
            }
            return new JsonObject { ["Test"] = new JsonArray("NONE") };
        }
        if (!any)
        {
            return null;
        }
        foreach (var (value, name) in new[] { (interval, "interval"), (timeout, "timeout"), (retries, "retries"), (startPeriod, "start-period"), (startInterval, "start-interval") })
        {
            if (value < 0)
            {
                throw new CliErrorException($"--health-{name} cannot be negative", 125);
            }
        }
        var health = new JsonObject();
        if (cmd.Length > 0)
        {
            health["Test"] = new JsonArray("CMD-SHELL", cmd);
        }
        health["Interval"] = interval;
        health["Timeout"] = timeout;
        health["StartPeriod"] = startPeriod;
        health["StartInterval"] = startInterval;
        health["Retries"] = retries;
        return health;
    }

    private static long Duration(ParsedFlags f, string name)
    {
        if (f.String(name) is not { Length: > 0 } text)
        {
            return 0;
        }
        return GoDurationParser.TryParse(text, out var error) ?? throw new UsageException($"invalid argument \"{text}\" for \"--{name}\" flag: {error}");
    }
}
