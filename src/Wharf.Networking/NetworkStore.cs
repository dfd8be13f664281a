using System.Text.Json;
using System.Text.Json.Serialization;
using Wharf.Core.Networks;

namespace Wharf.Networking;

/// <summary>Network records as one JSON file each, written to a temp file and renamed into place.</summary>
internal sealed class NetworkStore(string root)
{
    public IReadOnlyList<NetworkRecord> Load()
    {
        Directory.CreateDirectory(root);
        var list = new List<NetworkRecord>();
        foreach (var file in Directory.GetFiles(root, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllText(file), NetworkStoreJsonContext.Default.NetworkRecord) is { } rec)
                {
                    list.Add(rec);
                }
            }
            catch (JsonException)
            {
                File.Delete(file);
            }
        }

        foreach (var tmp in Directory.GetFiles(root, "*.tmp"))
        {
            File.Delete(tmp);
        }

        return list;
    }

    public void Save(NetworkRecord network)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, network.Id + ".json");
        File.WriteAllText(path + ".tmp", JsonSerializer.Serialize(network, NetworkStoreJsonContext.Default.NetworkRecord));
        File.Move(path + ".tmp", path, overwrite: true);
    }

    public void Delete(string id) => File.Delete(Path.Combine(root, id + ".json"));
}
