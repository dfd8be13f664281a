using Wharf.Cli.Commands;

namespace Wharf.Cli.Cli;

/// <summary>Every command the CLI knows, top-level and grouped, and how a command line finds one.</summary>
internal sealed class CommandTree
{
    public CommandTree()
    {
        var images = new ImagesCommand();
        var history = new HistoryCommand();
        var import = new ImportCommand();
        var build = new BuildCommand();
        var imageInspect = new InspectCommand(topLevel: false);
        var load = new LoadCommand();
        var rmi = new RmiCommand();
        var save = new SaveCommand();
        var tag = new TagCommand();
        var events = new EventsCommand();
        var info = new InfoCommand();
        var ps = new PsCommand();
        var create = new RunCommand(createOnly: true);
        var run = new RunCommand(createOnly: false);
        var start = new StartCommand(attachOnly: false);
        var attach = new StartCommand(attachOnly: true);
        var stop = ContainerActionCommand.Stop(restart: false);
        var restart = ContainerActionCommand.Stop(restart: true);
        var kill = ContainerActionCommand.Kill();
        var rm = ContainerActionCommand.Remove();
        var pause = ContainerActionCommand.Pause(pause: true);
        var unpause = ContainerActionCommand.Pause(pause: false);
        var wait = ContainerActionCommand.Wait();
        var logs = new LogsCommand();
        var rename = new RenameCommand();
        var stats = new StatsCommand();
        var top = new TopCommand();
        var update = new UpdateCommand();
        var cp = new CpCommand();
        var diff = new DiffCommand();
        var export = new ExportCommand();
        var commit = new CommitCommand();
        var exec = new ExecCommand();
        var pull = new PullCommand();
        var push = new PushCommand();
        TopLevel = new Dictionary<string, ICommand>(StringComparer.Ordinal)
        {
            ["attach"] = attach,
            ["commit"] = commit,
            ["cp"] = cp,
            ["create"] = create,
            ["diff"] = diff,
            ["export"] = export,
            ["exec"] = exec,
            ["kill"] = kill,
            ["logs"] = logs,
            ["pause"] = pause,
            ["port"] = new PortCommand(),
            ["ps"] = ps,
            ["rename"] = rename,
            ["restart"] = restart,
            ["rm"] = rm,
            ["run"] = run,
            ["start"] = start,
            ["stats"] = stats,
            ["stop"] = stop,
            ["top"] = top,
            ["unpause"] = unpause,
            ["update"] = update,
            ["wait"] = wait,
            ["events"] = events,
            ["history"] = history,
            ["images"] = images,
            ["import"] = import,
            ["build"] = build,
            ["info"] = info,
            ["inspect"] = new InspectCommand(topLevel: true),
            ["load"] = load,
            ["rmi"] = rmi,
            ["save"] = save,
            ["tag"] = tag,
            ["version"] = new VersionCommand(),
            ["pull"] = pull,
            ["push"] = push,
            ["login"] = new LoginCommand(),
            ["logout"] = new LogoutCommand(),
            ["search"] = new SearchCommand(),
        };
        Groups = new Dictionary<string, CommandGroup>(StringComparer.Ordinal)
        {
            ["container"] = new("container", "Manage containers",
            [
                ("attach", [], attach),
                ("commit", [], commit),
                ("cp", [], cp),
                ("create", [], create),
                ("diff", [], diff),
                ("export", [], export),
                ("exec", [], exec),
                ("inspect", [], new InspectCommand(topLevel: true)),
                ("kill", [], kill),
                ("logs", [], logs),
                ("ls", ["list", "ps"], ps),
                ("pause", [], pause),
                ("prune", [], new ContainerPruneCommand()),
                ("rename", [], rename),
                ("restart", [], restart),
                ("rm", ["remove"], rm),
                ("run", [], run),
                ("start", [], start),
                ("stats", [], stats),
                ("stop", [], stop),
                ("top", [], top),
                ("unpause", [], unpause),
                ("update", [], update),
                ("wait", [], wait),
            ]),
            ["image"] = new("image", "Manage images",
            [
                ("build", [], build),
                ("history", [], history),
                ("import", [], import),
                ("inspect", [], imageInspect),
                ("load", [], load),
                ("ls", ["list"], images),
                ("prune", [], new ImagePruneCommand()),
                ("pull", [], pull),
                ("push", [], push),
                ("rm", ["remove", "rmi"], rmi),
                ("save", [], save),
                ("tag", [], tag),
            ]),
            ["registry"] = new("registry", "Run an OCI distribution registry",
            [
                ("gc", [], new RegistryGcCommand()),
                ("serve", [], new RegistryServeCommand()),
            ]),
            ["network"] = new("network", "Manage networks",
            [
                ("connect", [], NetworkActionCommand.Connect()),
                ("create", [], new NetworkCreateCommand()),
                ("disconnect", [], NetworkActionCommand.Disconnect()),
                ("inspect", [], ObjectInspectCommand.Network()),
                ("ls", ["list"], new NetworkLsCommand()),
                ("prune", [], new NetworkPruneCommand()),
                ("rm", ["remove"], NetworkActionCommand.Rm()),
            ]),
            ["system"] = new("system", "Manage Docker",
            [
                ("df", [], new SystemDfCommand()),
                ("events", [], events),
                ("info", [], info),
            ]),
            ["volume"] = new("volume", "Manage volumes",
            [
                ("create", [], new VolumeCreateCommand()),
                ("inspect", [], ObjectInspectCommand.Volume()),
                ("ls", ["list"], new VolumeLsCommand()),
                ("prune", [], new VolumePruneCommand()),
                ("rm", ["remove"], new VolumeRmCommand()),
            ]),
        };
    }

    public IReadOnlyDictionary<string, ICommand> TopLevel { get; }

    public IReadOnlyDictionary<string, CommandGroup> Groups { get; }

    public string RootHelp(string program)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Usage:  ").Append(program).Append(" [OPTIONS] COMMAND\n\nA self-sufficient runtime for containers\n\nManagement Commands:\n");
        foreach (var g in Groups.Values)
        {
            sb.Append("  ").Append(g.Name.PadRight(11)).Append(' ').Append(g.Description).Append('\n');
        }
        sb.Append("\nCommands:\n");
        foreach (var (name, cmd) in TopLevel.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append("  ").Append(name.PadRight(11)).Append(' ').Append(cmd.Spec.Short).Append('\n');
        }
        sb.Append("\nGlobal Options:\n").Append(HelpWriter.FlagUsages(GlobalOptions.Specs, HelpWriter.Columns));
        sb.Append("\nRun '").Append(program).Append(" COMMAND --help' for more information on a command.\n");
        return sb.ToString();
    }
}
