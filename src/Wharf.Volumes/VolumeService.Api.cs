using System.Globalization;
using System.Text.RegularExpressions;
using Wharf.Core.Errors;
using Wharf.Core.Filters;
using Wharf.Core.Volumes;

namespace Wharf.Volumes;

public sealed partial class VolumeService
{
    public async Task<VolumeRecord> CreateAsync(VolumeCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return CreateLocked(request, reference: null).Record;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Finds or creates the volume, adding <paramref name="reference"/> when given. Holds the gate.</summary>
    private VolumeState CreateLocked(VolumeCreateRequest request, string? reference)
    {
        var name = request.Name;
        var labels = request.Labels;
        if (name.Length == 0)
        {
            name = VolumeNames.NewAnonymous();
            labels = new Dictionary<string, string>(labels ?? new Dictionary<string, string>(), StringComparer.Ordinal) { [VolumeDefaults.AnonymousLabel] = "" };
        }

        if (request.Driver.Length > 0 && request.Driver != VolumeDefaults.Driver)
        {
            throw WharfException.NotFound($"create {name}: error looking up volume plugin {request.Driver}: plugin \"{request.Driver}\" not found");
        }

        VolumeState state;
        lock (_sync)
        {
            if (_volumes.TryGetValue(name, out var existing))
            {
                // Docker returns the existing volume and ignores the labels and options asked for.
                if (reference is not null)
                {
                    existing.References.Add(reference);
                }

                return existing;
            }
        }

        VolumeNames.Validate(name);
        LocalDriverOptions.Validate(name, request.Options);
        VolumeRecord record;
        try
        {
            record = _store.Create(name, _time.GetUtcNow(), labels, request.Options);
        }
        catch (IOException e)
        {
            throw new WharfException(ErrorKind.Internal, $"create {name}: error while creating volume: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new WharfException(ErrorKind.Internal, $"create {name}: error while creating volume: {e.Message}", e);
        }

        state = new VolumeState(record);
        if (reference is not null)
        {
            state.References.Add(reference);
        }

        lock (_sync)
        {
            _volumes[name] = state;
        }

        Publish("create", name, new Dictionary<string, string> { ["driver"] = record.Driver });
        return state;
    }

    public VolumeRecord Inspect(string name) => Require(name).Record;

    public (IReadOnlyList<VolumeRecord> Volumes, IReadOnlyList<string> Warnings) List(FilterSet filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate("dangling", "name", "driver", "label");
        bool? dangling = filters.Contains("dangling") ? Bool(filters, "dangling") : null;
        var names = filters.Get("name");
        var drivers = filters.Get("driver");
        var result = new List<VolumeRecord>();
        lock (_sync)
        {
            foreach (var state in _volumes.Values)
            {
                var v = state.Record;
                if ((drivers.Count == 0 || drivers.Contains(v.Driver))
                    && (names.Count == 0 || names.Any(n => NameMatches(n, v.Name)))
                    && filters.MatchLabels("label", v.Labels)
                    && (dangling is null || (state.References.Count == 0) == dangling))
                {
                    result.Add(v);
                }
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return (result, []);
    }

    /// <summary>Docker's name filter: an exact name, or a regular expression found anywhere in the name.</summary>
    private static bool NameMatches(string pattern, string name)
    {
        if (pattern == name)
        {
            return true;
        }

        try
        {
            return Regex.IsMatch(name, pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>A boolean filter as Docker reads it: true/1 or false/0, anything else (or both) is invalid.</summary>
    private static bool Bool(FilterSet filters, string key)
    {
        var values = filters.Get(key);
        if (values.Count == 0)
        {
            throw WharfException.Invalid($"invalid filter '{key}'");
        }

        var isTrue = values.Contains("true") || values.Contains("1");
        var isFalse = values.Contains("false") || values.Contains("0");
        return isTrue != isFalse ? isTrue : throw WharfException.Invalid($"invalid filter '{key}={string.Join(',', values)}'");
    }

    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var state = Find(name);
            if (state is null)
            {
                if (force)
                {
                    return;
                }

                throw NoSuchVolume(name);
            }

            lock (_sync)
            {
                if (state.References.Count > 0)
                {
                    var refs = string.Join(", ", state.References.Order(StringComparer.Ordinal));
                    throw WharfException.Conflict($"remove {name}: volume is in use - [{refs}]");
                }
            }

            RemoveLocked(state);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Deletes an unreferenced volume. Holds the gate.</summary>
    private void RemoveLocked(VolumeState state)
    {
        var name = state.Record.Name;
        lock (_sync)
        {
            _volumes.Remove(name);
        }

        try
        {
            _store.Remove(name);
        }
        catch (IOException e)
        {
            throw new WharfException(ErrorKind.Internal, $"remove {name}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new WharfException(ErrorKind.Internal, $"remove {name}: {e.Message}", e);
        }

        Publish("destroy", name, new Dictionary<string, string> { ["driver"] = state.Record.Driver });
    }

    public async Task<VolumePruneResult> PruneAsync(FilterSet filters, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filters);
        filters.Validate("label", "label!", "all");
        var all = filters.Get("all") switch
        {
            [] => false,
            [var one] => ParseGoBool(one),
            var many => throw WharfException.Invalid($"invalid filter 'all=[{string.Join(' ', many)}]': only one value is expected"),
        };
        var deleted = new List<string>();
        long reclaimed = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            List<VolumeState> candidates;
            lock (_sync)
            {
                candidates = [.. _volumes.Values
                    .Where(s => s.Record.Driver == VolumeDefaults.Driver && s.References.Count == 0 && (s.Record.Options?.Count ?? 0) == 0)
                    .Where(s => all || s.Record.Anonymous)
                    .Where(s => filters.MatchLabels("label", s.Record.Labels) && !(filters.Contains("label!") && filters.MatchLabels("label!", s.Record.Labels)))
                    .OrderBy(s => s.Record.Name, StringComparer.Ordinal)];
            }

            foreach (var state in candidates)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                var size = Math.Max(0, DirectorySize.Of(state.Record.Mountpoint, cancellationToken));
                try
                {
                    RemoveLocked(state);
                }
                catch (WharfException e)
                {
                    LogWarning(state.Record.Name, "prune: " + e.Message);
                    continue;
                }

                deleted.Add(state.Record.Name);
                reclaimed += size;
            }
        }
        finally
        {
            _gate.Release();
        }

        Publish("prune", "", new Dictionary<string, string> { ["reclaimed"] = reclaimed.ToString(CultureInfo.InvariantCulture) });
        return new VolumePruneResult(deleted, reclaimed);
    }

    /// <summary>Go's strconv.ParseBool, with Docker's message for the prune filter.</summary>
    private static bool ParseGoBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw WharfException.Invalid($"invalid filter 'all': strconv.ParseBool: parsing \"{value}\": invalid syntax"),
    };

    public Task<IReadOnlyList<VolumeUsage>> GetUsageAsync(CancellationToken cancellationToken)
    {
        List<(VolumeRecord Record, int Refs)> local;
        lock (_sync)
        {
            local = [.. _volumes.Values
                .Where(s => s.Record.Driver == VolumeDefaults.Driver && (s.Record.Options?.Count ?? 0) == 0)
                .OrderBy(s => s.Record.Name, StringComparer.Ordinal)
                .Select(s => (s.Record, s.References.Count))];
        }

        return Task.Run<IReadOnlyList<VolumeUsage>>(() => [.. local.Select(v => new VolumeUsage(v.Record, DirectorySize.Of(v.Record.Mountpoint, cancellationToken), v.Refs))], cancellationToken);
    }
}
