using Wharf.Client;

namespace Wharf.Cli.Cli;

/// <summary>Parses global flags, finds the command, runs it, and maps failures to docker's messages and exit codes.</summary>
internal sealed class CliApp(CommandTree tree)
{
    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<GlobalOptions, CommandContext> createContext, CancellationToken cancellationToken)
    {
        const string program = "wharf";
        ParsedFlags globalFlags;
        List<string> rest;
        try
        {
            (globalFlags, rest) = ArgParser.Parse(GlobalOptions.Specs, args, interspersed: false);
        }
        catch (UsageException e)
        {
            await error.WriteAsync($"{e.Message}\nSee '{program} --help'.\n").ConfigureAwait(false);
            return 125;
        }
        if (globalFlags.Bool("version"))
        {
            await output.WriteLineAsync($"Wharf version {Commands.VersionCommand.ClientVersion}, build unknown").ConfigureAwait(false);
            return 0;
        }
        if (globalFlags.HelpRequested || rest.Count == 0)
        {
            await output.WriteAsync(tree.RootHelp(program)).ConfigureAwait(false);
            return 0;
        }
        var hosts = globalFlags.List("host");
        if (hosts.Count > 1)
        {
            await error.WriteLineAsync("Specify only one -H").ConfigureAwait(false);
            return 1;
        }
        var globals = new GlobalOptions(hosts.Count == 1 ? hosts[0] : null, globalFlags.String("log-level"), globalFlags.Bool("debug"), globalFlags.String("config"), globalFlags.String("context"));

        string name = rest[0];
        ICommand? command;
        string path;
        IReadOnlyList<string> commandArgs;
        if (tree.Groups.TryGetValue(name, out var group))
        {
            string groupPath = program + " " + name;
            if (rest.Count == 1 || rest[1].StartsWith('-'))
            {
                await output.WriteAsync(HelpWriter.GroupHelp(groupPath, group.Description, group.Commands.Select(c => (c.Name, c.Command.Spec.Short)))).ConfigureAwait(false);
                return 0;
            }
            var sub = group.Commands.FirstOrDefault(c => c.Name == rest[1] || c.Aliases.Contains(rest[1]));
            if (sub.Command is null)
            {
                await error.WriteAsync(HelpWriter.UsageError($"{program}: unknown command: {groupPath} {rest[1]}", groupPath, groupPath)).ConfigureAwait(false);
                return 1;
            }
            command = sub.Command;
            path = groupPath + " " + sub.Name;
            commandArgs = rest.Skip(2).ToList();
        }
        else if (tree.TopLevel.TryGetValue(name, out command))
        {
            path = program + " " + name;
            commandArgs = rest.Skip(1).ToList();
        }
        else
        {
            await error.WriteAsync($"{program}: unknown command: {program} {name}\n\nRun '{program} --help' for more information\n").ConfigureAwait(false);
            return 1;
        }
        return await RunCommandAsync(command, path, commandArgs, output, error, () => createContext(globals), program, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> RunCommandAsync(ICommand command, string path, IReadOnlyList<string> args, TextWriter output, TextWriter error, Func<CommandContext> createContext, string program, CancellationToken cancellationToken)
    {
        var spec = command.Spec;
        string usageLine = path + " " + spec.Use;
        Invocation invocation;
        try
        {
            var (flags, positional) = ArgParser.Parse(spec.Flags, args, !spec.StopAtFirstArg);
            if (flags.HelpRequested)
            {
                await output.WriteAsync(HelpWriter.CommandHelp(path, spec, spec.Aliases, program)).ConfigureAwait(false);
                return 0;
            }
            invocation = new Invocation(path, flags, positional);
        }
        catch (UsageException e)
        {
            await error.WriteAsync(HelpWriter.UsageError(e.Message, usageLine, path)).ConfigureAwait(false);
            return e.ExitCode;
        }
        if (spec.Args.Check(invocation.Args.Count, path) is { } problem)
        {
            await error.WriteAsync(HelpWriter.UsageError($"{program}: {problem.Message}", usageLine, path, problem.HintVerb)).ConfigureAwait(false);
            return 1;
        }
        using var context = createContext();
        try
        {
            return await command.RunAsync(context, invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (UsageException e)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteAsync(HelpWriter.UsageError(e.Message, usageLine, path)).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (CliErrorException e)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (DaemonErrorException e)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync("Error response from daemon: " + e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (DaemonUnreachableException e)
        {
            await output.FlushAsync(cancellationToken).ConfigureAwait(false);
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync(e.Message).ConfigureAwait(false);
            return 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 130;
        }
    }
}
