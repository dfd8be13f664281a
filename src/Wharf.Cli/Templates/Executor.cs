using System.Text;
using System.Text.Json.Nodes;
using Wharf.Cli.Templates.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>Walks a parse tree against data, following Go's text/template exec.go.</summary>
internal sealed class Executor
{
    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly string _source;
    private readonly IReadOnlyDictionary<string, TemplateFunction> _funcs;
    private readonly StringBuilder _out;
    private readonly List<(string Name, object? Value)> _vars = [];
    private Node? _node;

    public Executor(string source, IReadOnlyDictionary<string, TemplateFunction> funcs, StringBuilder output)
    {
        _source = source;
        _funcs = funcs;
        _out = output;
    }

    public void Execute(ListNode root, object? data)
    {
        _vars.Add(("$", data));
        Walk(data, root);
    }

    private TemplateException Error(string message)
    {
        if (_node is null)
        {
            return new TemplateException("template: :" + message);
        }
        string before = _source[..Math.Min(_node.Pos, _source.Length)];
        int line = 1 + before.Count(c => c == '\n');
        int lastNl = before.LastIndexOf('\n');
        int col = _node.Pos - lastNl - 1;
        return new TemplateException($"template: :{line}:{col}: executing \"\" at <{_node}>: {message}");
    }

    private Flow Walk(object? dot, Node node)
    {
        _node = node;
        switch (node)
        {
            case ActionNode a:
                var val = EvalPipeline(dot, a.Pipe);
                if (a.Pipe.Decl.Count == 0)
                {
                    _out.Append(val is null or Missing ? "<no value>" : GoValue.Print(val));
                }
                return Flow.Normal;
            case BreakNode:
                return Flow.Break;
            case ContinueNode:
                return Flow.Continue;
            case IfNode or WithNode:
                return WalkIfOrWith((BranchNode)node, dot);
            case ListNode l:
                foreach (var n in l.Nodes)
                {
                    var flow = Walk(dot, n);
                    if (flow != Flow.Normal)
                    {
                        return flow;
                    }
                }
                return Flow.Normal;
            case RangeNode r:
                return WalkRange(dot, r);
            case TextNode t:
                _out.Append(t.Text);
                return Flow.Normal;
            default:
                throw Error("unknown node: " + node);
        }
    }

    private Flow WalkIfOrWith(BranchNode b, object? dot)
    {
        int mark = _vars.Count;
        try
        {
            var val = EvalPipeline(dot, b.Pipe);
            if (GoValue.IsTrue(val))
            {
                return Walk(b is WithNode ? val : dot, b.List);
            }
            if (b.ElseList is not null)
            {
                return Walk(dot, b.ElseList);
            }
            return Flow.Normal;
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private Flow WalkRange(object? dot, RangeNode r)
    {
        int mark = _vars.Count;
        try
        {
            var val = GoValue.Norm(EvalPipeline(dot, r.Pipe));
            var items = new List<(object? Key, object? Value)>();
            switch (val)
            {
                case JsonArray a:
                    for (int i = 0; i < a.Count; i++)
                    {
                        items.Add(((long)i, GoValue.Norm(a[i])));
                    }
                    break;
                case string[] sa:
                    for (int i = 0; i < sa.Length; i++)
                    {
                        items.Add(((long)i, sa[i]));
                    }
                    break;
                case JsonObject o:
                    foreach (var kv in o.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                    {
                        items.Add((kv.Key, GoValue.Norm(kv.Value)));
                    }
                    break;
                case long n:
                    for (long i = 0; i < n; i++)
                    {
                        items.Add((i, i));
                    }
                    break;
                case null or Missing:
                    break;
                default:
                    _node = r;
                    throw Error("range can't iterate over " + GoValue.Print(val));
            }
            if (items.Count == 0)
            {
                return r.ElseList is null ? Flow.Normal : Walk(dot, r.ElseList);
            }
            int bodyMark = _vars.Count;
            foreach (var (key, elem) in items)
            {
                if (r.Pipe.Decl.Count > 0)
                {
                    // One variable gets the element; two get key and element.
                    SetTopVar(r.Pipe.Decl.Count == 1 ? 1 : 2, r.Pipe.Decl.Count == 1 ? elem : key);
                    if (r.Pipe.Decl.Count > 1)
                    {
                        SetTopVar(1, elem);
                    }
                }
                var flow = Walk(elem, r.List);
                _vars.RemoveRange(bodyMark, _vars.Count - bodyMark);
                if (flow == Flow.Break)
                {
                    break;
                }
            }
            return Flow.Normal;
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
        }
    }

    private void SetTopVar(int n, object? value) => _vars[^n] = (_vars[^n].Name, value);

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        _node = pipe;
        object? value = Missing.Value;
        bool hasFinal = false;
        foreach (var cmd in pipe.Cmds)
        {
            value = EvalCommand(dot, cmd, hasFinal, value);
            hasFinal = true;
        }
        value = GoValue.Norm(value);
        if (value is null)
        {
            value = Missing.Value;
        }
        foreach (var v in pipe.Decl)
        {
            if (pipe.IsAssign)
            {
                SetVar(v.Idents[0], value);
            }
            else
            {
                _vars.Add((v.Idents[0], value));
            }
        }
        return value;
    }

    private void SetVar(string name, object? value)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                _vars[i] = (name, value);
                return;
            }
        }
        throw Error("undefined variable: " + name);
    }

    private object? VarValue(string name)
    {
        for (int i = _vars.Count - 1; i >= 0; i--)
        {
            if (_vars[i].Name == name)
            {
                return _vars[i].Value;
            }
        }
        throw Error("undefined variable: " + name);
    }

    private object? EvalCommand(object? dot, CommandNode cmd, bool hasFinal, object? final)
    {
        var first = cmd.Args[0];
        switch (first)
        {
            case FieldNode f:
                _node = f;
                return EvalFieldChain(dot, f.Idents, cmd.Args, hasFinal);
            case ChainNode c:
                _node = c;
                return EvalChain(dot, c, cmd.Args, hasFinal);
            case IdentifierNode id:
                return EvalFunction(dot, id, cmd, hasFinal, final);
            case PipeNode p:
                NotAFunction(cmd.Args, hasFinal);
                return EvalPipeline(dot, p);
            case VariableNode v:
                _node = v;
                return EvalVariable(v, cmd.Args, hasFinal);
        }
        _node = first;
        NotAFunction(cmd.Args, hasFinal);
        return first switch
        {
            BoolNode b => b.Value,
            DotNode => dot,
            NilNode => throw Error("nil is not a command"),
            NumberNode n => n.Value,
            StringNode s => s.Text,
            _ => throw Error("can't evaluate command " + first),
        };
    }

    private void NotAFunction(List<Node> args, bool hasFinal)
    {
        if (args.Count > 1 || hasFinal)
        {
            throw Error("can't give argument to non-function " + args[0]);
        }
    }

    private object? EvalVariable(VariableNode v, List<Node>? args, bool hasFinal)
    {
        var value = VarValue(v.Idents[0]);
        if (v.Idents.Count == 1)
        {
            if (args is not null)
            {
                NotAFunction(args, hasFinal);
            }
            return value;
        }
        return FieldChain(value, v.Idents.Skip(1).ToList(), args, hasFinal);
    }

    private object? EvalFieldChain(object? dot, IReadOnlyList<string> idents, List<Node>? args, bool hasFinal) =>
        FieldChain(dot, idents, args, hasFinal);

    private object? EvalChain(object? dot, ChainNode c, List<Node>? args, bool hasFinal)
    {
        if (c.Node is NilNode)
        {
            throw Error("indirection through explicit nil in " + c);
        }
        var value = EvalArg(dot, c.Node);
        return FieldChain(value, c.Fields, args, hasFinal);
    }

    private object? FieldChain(object? receiver, IReadOnlyList<string> idents, List<Node>? args, bool hasFinal)
    {
        for (int i = 0; i < idents.Count; i++)
        {
            bool last = i == idents.Count - 1;
            if (last && args is not null && (args.Count > 1 || hasFinal))
            {
                throw Error(idents[i] + " has arguments but cannot be invoked as function");
            }
            receiver = EvalField(receiver, idents[i]);
        }
        return receiver;
    }

    private object? EvalField(object? receiver, string name)
    {
        switch (receiver)
        {
            case Missing:
                return Missing.Value;
            case null:
                throw Error("nil pointer evaluating interface {}." + name);
            case JsonObject o:
                if (o.TryGetPropertyValue(name, out var v))
                {
                    return GoValue.Norm(v);
                }
                // Docker executes templates on typed Go structs first, whose field names differ from the
                // JSON names only in case ("ID" for "id", "APIVersion" for "ApiVersion").
                foreach (var kv in o)
                {
                    if (string.Equals(kv.Key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return GoValue.Norm(kv.Value);
                    }
                }
                return Missing.Value;
            case TemplateStruct s:
                if (s.Fields.TryGetPropertyValue(name, out var sv))
                {
                    return GoValue.Norm(sv);
                }
                throw Error($"can't evaluate field {name} in type {s.GoTypeName}");
            default:
                throw Error($"can't evaluate field {name} in type {GoValue.TypeName(receiver)}");
        }
    }

    private object? EvalArg(object? dot, Node n)
    {
        _node = n;
        switch (n)
        {
            case DotNode:
                return dot;
            case NilNode:
                return null;
            case FieldNode f:
                return EvalFieldChain(dot, f.Idents, null, false);
            case VariableNode v:
                return EvalVariable(v, null, false);
            case PipeNode p:
                return EvalPipeline(dot, p);
            case IdentifierNode id:
                return CallFunction(id, dot, [], false, null);
            case ChainNode c:
                return EvalChain(dot, c, null, false);
            case BoolNode b:
                return b.Value;
            case NumberNode num:
                return num.Value;
            case StringNode s:
                return s.Text;
        }
        throw Error("can't handle " + n + " for arg");
    }

    private object? EvalFunction(object? dot, IdentifierNode id, CommandNode cmd, bool hasFinal, object? final)
    {
        _node = id;
        return CallFunction(id, dot, cmd.Args.Skip(1).ToList(), hasFinal, final, cmd);
    }

    private object? CallFunction(IdentifierNode id, object? dot, List<Node> argNodes, bool hasFinal, object? final, CommandNode? cmd = null)
    {
        if (!_funcs.TryGetValue(id.Name, out var fn))
        {
            throw Error($"\"{id.Name}\" is not a defined function");
        }
        int count = argNodes.Count + (hasFinal ? 1 : 0);
        if (count < fn.MinArgs || (fn.MaxArgs >= 0 && count > fn.MaxArgs))
        {
            _node = (Node?)cmd ?? id;
            if (fn.MaxArgs < 0)
            {
                throw Error($"wrong number of args for {fn.Name}: want at least {fn.MinArgs} got {count}");
            }
            throw Error($"wrong number of args for {fn.Name}: want {(count < fn.MinArgs ? fn.MinArgs : fn.MaxArgs)} got {count}");
        }
        if (fn.Name is "and" or "or")
        {
            // Short-circuit: stop at the first falsy (and) or truthy (or) argument.
            object? v = null;
            for (int i = 0; i < count; i++)
            {
                v = i < argNodes.Count ? EvalArg(dot, argNodes[i]) : final;
                if (GoValue.IsTrue(v) != (fn.Name == "and"))
                {
                    return v;
                }
            }
            return v;
        }
        var args = new object?[count];
        for (int i = 0; i < argNodes.Count; i++)
        {
            args[i] = EvalArg(dot, argNodes[i]);
        }
        if (hasFinal)
        {
            args[^1] = final;
        }
        _node = (Node?)cmd ?? id;
        try
        {
            return fn.Invoke(args);
        }
        catch (FuncException e) when (e.IsArgumentError)
        {
            throw Error(e.Message);
        }
        catch (FuncException e)
        {
            throw Error($"error calling {fn.Name}: {e.Message}");
        }
    }
}
