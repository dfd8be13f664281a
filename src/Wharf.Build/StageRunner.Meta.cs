using System.Globalization;
using Wharf.Build.Parsing;
using Wharf.Core.Errors;
using Wharf.Oci.Image;

namespace Wharf.Build;

internal sealed partial class StageRunner
{
    /// <summary>Instructions that only change the config (and ARG, which changes the build's state).</summary>
    private async Task MetadataAsync(Instruction ins, CancellationToken cancellationToken)
    {
        var (createdBy, next) = ins.Keyword switch
        {
            "env" => Env(ins),
            "label" => Label(ins),
            "expose" => Expose(ins),
            "arg" => Arg(ins),
            "user" => ("USER " + Expand(ins.Args[0]), Config with { User = Expand(ins.Args[0]) }),
            "stopsignal" => StopSignal(ins),
            "cmd" => Cmd(ins),
            "entrypoint" => Entrypoint(ins),
            "volume" => Volume(ins),
            "healthcheck" => Healthcheck(ins),
            "shell" => Shell(ins),
            "onbuild" => ("ONBUILD " + ins.Args[0], Config with { OnBuild = [.. Config.OnBuild ?? [], ins.Args[0]] }),
            "maintainer" => Maintainer(ins),
            _ => throw WharfException.Invalid($"unknown instruction: {ins.Keyword.ToUpperInvariant()}"),
        };
        var key = BuildCache.Key(ImageRef, createdBy, "meta");
        if (await TryCacheAsync(key, MetadataHistory(createdBy), (_, ct) => CommitMetadataImageAsync(createdBy, next, ct), cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await CommitMetadataAsync(key, createdBy, next, cancellationToken).ConfigureAwait(false);
    }

    private (string, ContainerConfig) Env(Instruction ins)
    {
        var env = new List<string>(Config.Env ?? []);
        var shown = new List<string>();
        for (var i = 0; i + 1 < ins.Args.Count; i += 2)
        {
            var key = Expand(ins.Args[i]);
            var value = Expand(ins.Args[i + 1]);
            shown.Add(key + "=" + value);
            var at = env.FindIndex(e => e.StartsWith(key + "=", StringComparison.Ordinal) || e == key);
            if (at >= 0)
            {
                env[at] = key + "=" + value;
            }
            else
            {
                env.Add(key + "=" + value);
            }
        }

        return ("ENV " + string.Join(' ', shown), Config with { Env = env });
    }

    private (string, ContainerConfig) Label(Instruction ins)
    {
        var labels = new Dictionary<string, string>(Config.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var shown = new List<string>();
        for (var i = 0; i + 1 < ins.Args.Count; i += 2)
        {
            var key = Expand(ins.Args[i]);
            var value = Expand(ins.Args[i + 1]);
            labels[key] = value;
            shown.Add(key + "=" + value);
        }

        return ("LABEL " + string.Join(' ', shown), Config with { Labels = labels });
    }

    private (string, ContainerConfig) Expose(Instruction ins)
    {
        var ports = new Dictionary<string, EmptyObject>(Config.ExposedPorts ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
        var shown = new List<string>();
        foreach (var word in ins.Args.SelectMany(a => _lex.ProcessWords(a, Lookup)))
        {
            var (portPart, proto) = word.Split('/', 2) is [var p, var pr] ? (p, pr.ToLowerInvariant()) : (word, "tcp");
            var range = portPart.Split('-', 2);
            if (!int.TryParse(range[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) || start is < 1 or > 65535
                || (range.Length == 2 && (!int.TryParse(range[1], NumberStyles.None, CultureInfo.InvariantCulture, out var end) || end < start || end > 65535)))
            {
                throw WharfException.Invalid($"Invalid containerPort: {portPart}");
            }

            if (proto is not ("tcp" or "udp" or "sctp"))
            {
                throw WharfException.Invalid($"Invalid proto: {proto}");
            }

            var last = range.Length == 2 ? int.Parse(range[1], CultureInfo.InvariantCulture) : start;
            for (var port = start; port <= last; port++)
            {
                ports[port.ToString(CultureInfo.InvariantCulture) + "/" + proto] = new EmptyObject();
            }

            shown.Add(word);
        }

        return ("EXPOSE " + string.Join(' ', shown), Config with { ExposedPorts = ports });
    }

    private (string, ContainerConfig) Arg(Instruction ins)
    {
        var shown = new List<string>();
        foreach (var word in ins.Args)
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? word : word[..eq];
            string? value = eq < 0 ? null : Expand(word[(eq + 1)..]);
            if (_job.Request.BuildArgs.TryGetValue(name, out var given) && given is not null)
            {
                value = given;
            }
            else if (eq < 0 && _job.MetaArgValue(name) is { } meta)
            {
                // "ARG NAME" inside a stage takes the value of a global ARG of the same name.
                value = meta;
            }

            _job.MarkArgUsed(name);
            if (!_args.ContainsKey(name))
            {
                _argOrder.Add(name);
            }

            _args[name] = value;
            shown.Add(eq < 0 ? name : name + "=" + Expand(word[(eq + 1)..]));
        }

        return ("ARG " + string.Join(' ', shown), Config);
    }

    private (string, ContainerConfig) StopSignal(Instruction ins)
    {
        var signal = Expand(ins.Args[0]);
        return ("STOPSIGNAL " + signal, Config with { StopSignal = signal });
    }

    private IReadOnlyList<string> CommandLine(Instruction ins, int skip = 0)
    {
        var args = ins.Args.Skip(skip).ToList();
        return ins.IsJson ? args : args.Count == 0 ? [] : [.. _shell, args[0]];
    }

    private (string, ContainerConfig) Cmd(Instruction ins)
    {
        var cmd = CommandLine(ins);
        _cmdSet = true;
        return ("CMD " + GoQuoted(cmd), Config with { Cmd = cmd, ArgsEscaped = false });
    }

    private (string, ContainerConfig) Entrypoint(Instruction ins)
    {
        var entrypoint = CommandLine(ins);
        var next = Config with { Entrypoint = entrypoint.Count == 0 ? null : entrypoint };
        if (!_cmdSet)
        {
            // An ENTRYPOINT resets the CMD inherited from the base (Docker's rule).
            next = next with { Cmd = null };
        }

        return ("ENTRYPOINT " + GoQuoted(entrypoint), next);
    }

    private (string, ContainerConfig) Volume(Instruction ins)
    {
        var volumes = new Dictionary<string, EmptyObject>(Config.Volumes ?? new Dictionary<string, EmptyObject>(), StringComparer.Ordinal);
        var list = new List<string>();
        foreach (var v in ins.IsJson ? ins.Args.Select(Expand) : ins.Args.SelectMany(a => _lex.ProcessWords(a, Lookup)))
        {
            var path = v.Trim();
            if (path.Length == 0)
            {
                throw WharfException.Invalid("VOLUME specified can not be an empty string");
            }

            volumes[path] = new EmptyObject();
            list.Add(path);
        }

        return ("VOLUME [" + string.Join(' ', list) + "]", Config with { Volumes = volumes });
    }

    private (string, ContainerConfig) Shell(Instruction ins)
    {
        _shell = [.. ins.Args];
        return ("SHELL [" + string.Join(' ', ins.Args) + "]", Config with { Shell = [.. ins.Args] });
    }

    private (string, ContainerConfig) Maintainer(Instruction ins)
    {
        _author = Expand(ins.Args[0]);
        return ("MAINTAINER " + _author, Config);
    }

    private (string, ContainerConfig) Healthcheck(Instruction ins)
    {
        if (ins.Args[0] == "NONE")
        {
            var none = new HealthConfig { Test = ["NONE"] };
            return ("HEALTHCHECK &{[\"NONE\"] \"0s\" \"0s\" \"0s\" \"0s\" '\\x00'}", Config with { Healthcheck = none });
        }

        IReadOnlyList<string> test = ins.IsJson ? ["CMD", .. ins.Args.Skip(1)] : ["CMD-SHELL", ins.Args[1]];
        var health = new HealthConfig
        {
            Test = test,
            Interval = Duration(ins, "interval"),
            Timeout = Duration(ins, "timeout"),
            StartPeriod = Duration(ins, "start-period"),
            StartInterval = Duration(ins, "start-interval"),
            Retries = ins.Flag("retries") is { } r
                ? int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : throw WharfException.Invalid("--retries must be at least 1")
                : 0,
        };
        var shown = $"HEALTHCHECK &{{{GoQuoted(test)} \"{GoDuration(health.Interval)}\" \"{GoDuration(health.Timeout)}\" \"{GoDuration(health.StartPeriod)}\" \"{GoDuration(health.StartInterval)}\" '\\x{health.Retries:x2}'}}";
        return (shown, Config with { Healthcheck = health });
    }

    private static long Duration(Instruction ins, string flag)
    {
        if (ins.Flag(flag) is not { } text)
        {
            return 0;
        }

        var ns = ParseGoDuration(text) ?? throw WharfException.Invalid($"time: invalid duration \"{text}\"");
        if (ns != 0 && ns < 1_000_000)
        {
            throw WharfException.Invalid($"Interval \"{flag}\" cannot be less than 1ms");
        }

        return ns;
    }

    /// <summary>Go's time.ParseDuration (h, m, s, ms, us, ns; fractions allowed), in nanoseconds.</summary>
    internal static long? ParseGoDuration(string text)
    {
        if (text == "0")
        {
            return 0;
        }

        double total = 0;
        var i = 0;
        if (text.Length == 0)
        {
            return null;
        }

        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            if (start == i || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                return null;
            }

            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i]) || (i < text.Length && text[i] == 'µ'))
            {
                i++;
            }

            double scale = text[unitStart..i] switch
            {
                "h" => 3600e9,
                "m" => 60e9,
                "s" => 1e9,
                "ms" => 1e6,
                "us" or "µs" => 1e3,
                "ns" => 1,
                _ => double.NaN,
            };
            if (double.IsNaN(scale))
            {
                return null;
            }

            total += number * scale;
        }

        return (long)total;
    }

    private static string GoDuration(long ns)
    {
        if (ns == 0)
        {
            return "0s";
        }

        var t = TimeSpan.FromTicks(ns / 100);
        var sb = new System.Text.StringBuilder();
        if (t.TotalHours >= 1)
        {
            sb.Append((int)t.TotalHours).Append('h');
        }

        if (t.TotalMinutes >= 1)
        {
            sb.Append(t.Minutes).Append('m');
        }

        var seconds = t.Seconds + (t.Milliseconds / 1000.0);
        sb.Append(seconds.ToString("0.###", CultureInfo.InvariantCulture)).Append('s');
        return sb.ToString();
    }
}
