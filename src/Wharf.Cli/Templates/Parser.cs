using System.Globalization;
using Wharf.Cli.Templates.Nodes;

namespace Wharf.Cli.Templates;

/// <summary>A port of Go's text/template/parse parser (without define/template/block).</summary>
internal sealed class Parser
{
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _hasFunction;
    private readonly List<string> _vars = ["$"];
    private int _index;
    private int _rangeDepth;
    private Token _current;

    private Parser(List<Token> tokens, Func<string, bool> hasFunction)
    {
        _tokens = tokens;
        _hasFunction = hasFunction;
    }

    public static ListNode Parse(string text, Func<string, bool> hasFunction)
    {
        var parser = new Parser(Lexer.Lex(text), hasFunction);
        return parser.ParseRoot();
    }

    private ListNode ParseRoot()
    {
        var root = new ListNode(0);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                throw Error("unexpected " + n);
            }
            if (n is not null)
            {
                root.Nodes.Add(n);
            }
        }
        return root;
    }

    private TemplateException Error(string message) =>
        new($"template: :{_current.Line}: {message}");

    private Token Next()
    {
        var t = _tokens[Math.Min(_index, _tokens.Count - 1)];
        _index++;
        _current = t;
        if (t.Kind == TokenKind.Error)
        {
            throw Error(t.Value);
        }
        return t;
    }

    private void Backup(int n = 1) => _index -= n;

    private Token Peek()
    {
        var t = Next();
        Backup();
        return t;
    }

    private Token NextNonSpace()
    {
        Token t;
        do
        {
            t = Next();
        }
        while (t.Kind == TokenKind.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private Token Expect(TokenKind kind, string context)
    {
        var t = NextNonSpace();
        if (t.Kind != kind)
        {
            throw Unexpected(t, context);
        }
        return t;
    }

    private TemplateException Unexpected(Token t, string context) =>
        t.Kind == TokenKind.Error ? Error(t.Value) : Error($"unexpected {t} in {context}");

    private (ListNode List, Node Next) ItemList()
    {
        var list = new ListNode(PeekNonSpace().Pos);
        while (PeekNonSpace().Kind != TokenKind.Eof)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode)
            {
                return (list, n);
            }
            if (n is not null)
            {
                list.Nodes.Add(n);
            }
        }
        throw Error("unexpected EOF");
    }

    private Node? TextOrAction()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Text:
                return new TextNode(t.Pos, t.Value);
            case TokenKind.LeftDelim:
                return Action();
            default:
                throw Unexpected(t, "input");
        }
    }

    private Node Action()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Break:
                return BreakOrContinue(t, "break");
            case TokenKind.Continue:
                return BreakOrContinue(t, "continue");
            case TokenKind.Else:
                return ElseControl(t);
            case TokenKind.End:
                Expect(TokenKind.RightDelim, "end");
                return new EndNode(t.Pos);
            case TokenKind.If:
                return Control(t, "if");
            case TokenKind.Range:
                return Control(t, "range");
            case TokenKind.With:
                return Control(t, "with");
            case TokenKind.Block or TokenKind.Define or TokenKind.Template:
                throw Error($"{{{{{t.Value}}}}} is not supported");
        }
        Backup();
        var pos = PeekNonSpace().Pos;
        return new ActionNode(pos, Pipeline("command", TokenKind.RightDelim));
    }

    private Node BreakOrContinue(Token t, string name)
    {
        var next = NextNonSpace();
        if (next.Kind != TokenKind.RightDelim)
        {
            throw Unexpected(next, "{{" + name + "}}");
        }
        if (_rangeDepth == 0)
        {
            throw Error($"{{{{{name}}}}} outside {{{{range}}}}");
        }
        return name == "break" ? new BreakNode(t.Pos) : new ContinueNode(t.Pos);
    }

    private Node ElseControl(Token t)
    {
        var peek = PeekNonSpace();
        if (peek.Kind is TokenKind.If or TokenKind.With)
        {
            // "else if" / "else with": the caller parses the chained control.
            return new ElseNode(t.Pos);
        }
        Expect(TokenKind.RightDelim, "else");
        return new ElseNode(t.Pos);
    }

    private Node Control(Token t, string context)
    {
        int varCount = _vars.Count;
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (context == "range")
            {
                _rangeDepth++;
            }
            var (list, next) = ItemList();
            if (context == "range")
            {
                _rangeDepth--;
            }
            ListNode? elseList = null;
            if (next is ElseNode)
            {
                var chained = context switch { "if" => TokenKind.If, "with" => TokenKind.With, _ => TokenKind.Eof };
                if (chained != TokenKind.Eof && PeekNonSpace().Kind == chained)
                {
                    var kw = NextNonSpace();
                    elseList = new ListNode(next.Pos);
                    elseList.Nodes.Add(Control(kw, context));
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not EndNode)
                    {
                        throw Error("expected end; found " + next);
                    }
                }
            }
            return context switch
            {
                "if" => new IfNode(t.Pos, pipe, list, elseList),
                "range" => new RangeNode(t.Pos, pipe, list, elseList),
                _ => new WithNode(t.Pos, pipe, list, elseList),
            };
        }
        finally
        {
            _vars.RemoveRange(varCount, _vars.Count - varCount);
        }
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var pipe = new PipeNode(PeekNonSpace().Pos);
        Decls(pipe, context);
        while (true)
        {
            var t = NextNonSpace();
            if (t.Kind == end)
            {
                CheckPipeline(pipe, context);
                return pipe;
            }
            switch (t.Kind)
            {
                case TokenKind.Bool or TokenKind.CharConstant or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier
                    or TokenKind.Number or TokenKind.Nil or TokenKind.RawString or TokenKind.String or TokenKind.Variable
                    or TokenKind.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(t, context);
            }
        }
    }

    private void Decls(PipeNode pipe, string context)
    {
        while (true)
        {
            var v = PeekNonSpace();
            if (v.Kind != TokenKind.Variable)
            {
                return;
            }
            int save = _index;
            NextNonSpace();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Assign or TokenKind.Declare)
            {
                pipe.IsAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                return;
            }
            if (next.Kind == TokenKind.Char && next.Value == ",")
            {
                NextNonSpace();
                pipe.Decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && pipe.Decl.Count < 2)
                {
                    var k = PeekNonSpace().Kind;
                    if (k is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen)
                    {
                        continue;
                    }
                    throw Error("range can only initialize variables");
                }
                throw Error("too many declarations in " + context);
            }
            _index = save;
            return;
        }
    }

    private void CheckPipeline(PipeNode pipe, string context)
    {
        if (pipe.Cmds.Count == 0)
        {
            throw Error("missing value for " + context);
        }
        for (int i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
            {
                throw Error($"non executable command in pipeline stage {i + 1}");
            }
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null)
            {
                cmd.Args.Add(operand);
            }
            var t = Next();
            if (t.Kind == TokenKind.Space)
            {
                continue;
            }
            if (t.Kind is TokenKind.RightDelim or TokenKind.RightParen)
            {
                Backup();
            }
            else if (t.Kind != TokenKind.Pipe)
            {
                throw Unexpected(t, "operand");
            }
            break;
        }
        if (cmd.Args.Count == 0)
        {
            throw Error("empty command");
        }
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null)
        {
            return null;
        }
        if (Peek().Kind != TokenKind.Field)
        {
            return node;
        }
        int chainPos = Peek().Pos;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field)
        {
            fields.Add(Next().Value[1..]);
        }
        return node switch
        {
            // Go positions a chained field at its first chained element.
            FieldNode f => new FieldNode(chainPos, [.. f.Idents, .. fields]),
            VariableNode v => new VariableNode(chainPos, [.. v.Idents, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term \"{node}\""),
            _ => new ChainNode(node.Pos, node, fields),
        };
    }

    private Node? Term()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                if (!_hasFunction(t.Value))
                {
                    throw Error($"function \"{t.Value}\" not defined");
                }
                return new IdentifierNode(t.Pos, t.Value);
            case TokenKind.Dot:
                return new DotNode(t.Pos);
            case TokenKind.Nil:
                return new NilNode(t.Pos);
            case TokenKind.Variable:
                if (!_vars.Contains(t.Value))
                {
                    throw Error($"undefined variable \"{t.Value}\"");
                }
                return new VariableNode(t.Pos, [t.Value]);
            case TokenKind.Field:
                return new FieldNode(t.Pos, [t.Value[1..]]);
            case TokenKind.Bool:
                return new BoolNode(t.Pos, t.Value == "true");
            case TokenKind.CharConstant:
                return new NumberNode(t.Pos, t.Value, (long)GoQuote.Unquote(t.Value)[0]);
            case TokenKind.Number:
                return ParseNumber(t);
            case TokenKind.LeftParen:
                return Pipeline("parenthesized pipeline", TokenKind.RightParen);
            case TokenKind.String or TokenKind.RawString:
                try
                {
                    return new StringNode(t.Pos, t.Value, GoQuote.Unquote(t.Value));
                }
                catch (Exception e) when (e is FormatException or ArgumentException or OverflowException)
                {
                    throw Error("invalid syntax");
                }
        }
        Backup();
        return null;
    }

    private NumberNode ParseNumber(Token t)
    {
        string text = t.Value.Replace("_", "", StringComparison.Ordinal);
        bool negative = text.StartsWith('-');
        string body = text.TrimStart('+', '-');
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) &&
            long.TryParse(body[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long hex))
        {
            return new NumberNode(t.Pos, t.Value, negative ? -hex : hex);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
        {
            return new NumberNode(t.Pos, t.Value, l);
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
        {
            return new NumberNode(t.Pos, t.Value, d);
        }
        throw Error($"illegal number syntax: \"{t.Value}\"");
    }
}
