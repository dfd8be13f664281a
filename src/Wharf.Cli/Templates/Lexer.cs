using System.Globalization;

namespace Wharf.Cli.Templates;

/// <summary>A port of Go's text/template/parse lexer: produces the whole token list up front,
/// ending with an Eof or Error token.</summary>
internal sealed class Lexer
{
    private const string LeftDelim = "{{";
    private const string RightDelim = "}}";

    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["."] = TokenKind.Dot,
        ["block"] = TokenKind.Block,
        ["break"] = TokenKind.Break,
        ["continue"] = TokenKind.Continue,
        ["define"] = TokenKind.Define,
        ["else"] = TokenKind.Else,
        ["end"] = TokenKind.End,
        ["if"] = TokenKind.If,
        ["range"] = TokenKind.Range,
        ["nil"] = TokenKind.Nil,
        ["template"] = TokenKind.Template,
        ["with"] = TokenKind.With,
    };

    private readonly string _input;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;

    private Lexer(string input) => _input = input;

    public static List<Token> Lex(string input)
    {
        var lexer = new Lexer(input);
        lexer.Run();
        return lexer._tokens;
    }

    private void Run()
    {
        try
        {
            LexText();
        }
        catch (LexError)
        {
            // The error token is already emitted.
        }
    }

    private sealed class LexError : Exception;

    private char Peek(int offset = 0) => _pos + offset < _input.Length ? _input[_pos + offset] : '\0';

    private bool AtEof(int offset = 0) => _pos + offset >= _input.Length;

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _start, _input[_start.._pos], _startLine));
        Ignore();
    }

    private void Ignore()
    {
        _line += CountNewlines(_start, _pos);
        _start = _pos;
        _startLine = _line;
    }

    private int CountNewlines(int from, int to)
    {
        int n = 0;
        for (int i = from; i < to; i++)
        {
            if (_input[i] == '\n')
            {
                n++;
            }
        }
        return n;
    }

    private LexError Error(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, _start, message, _startLine));
        return new LexError();
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlphaNumeric(char c) => c == '_' || char.IsLetterOrDigit(c);

    private bool HasLeftTrimMarker(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool HasRightTrimMarker(int at) => at + 1 < _input.Length && IsSpace(_input[at]) && _input[at + 1] == '-';

    private bool StartsAt(int at, string s) => at <= _input.Length && _input.AsSpan(at).StartsWith(s, StringComparison.Ordinal);

    private (bool Delim, bool Trim) AtRightDelim()
    {
        if (HasRightTrimMarker(_pos) && StartsAt(_pos + 2, RightDelim))
        {
            return (true, true);
        }
        return (StartsAt(_pos, RightDelim), false);
    }

    private void LexText()
    {
        while (true)
        {
            int x = _input.IndexOf(LeftDelim, _pos, StringComparison.Ordinal);
            if (x < 0)
            {
                _pos = _input.Length;
                if (_pos > _start)
                {
                    Emit(TokenKind.Text);
                }
                _tokens.Add(new Token(TokenKind.Eof, _pos, "", _line));
                return;
            }
            _pos = x;
            int trimLength = 0;
            if (HasLeftTrimMarker(x + LeftDelim.Length))
            {
                int end = x;
                while (end > _start && IsSpace(_input[end - 1]))
                {
                    end--;
                }
                trimLength = x - end;
            }
            _pos -= trimLength;
            if (_pos > _start)
            {
                Emit(TokenKind.Text);
            }
            _pos += trimLength;
            Ignore();
            LexLeftDelim();
        }
    }

    private void LexLeftDelim()
    {
        _pos += LeftDelim.Length;
        bool trim = HasLeftTrimMarker(_pos);
        int afterMarker = trim ? 2 : 0;
        if (StartsAt(_pos + afterMarker, "/*"))
        {
            _pos += afterMarker;
            Ignore();
            LexComment();
            return;
        }
        Emit(TokenKind.LeftDelim);
        _pos += afterMarker;
        Ignore();
        _parenDepth = 0;
        LexInsideAction();
    }

    private void LexComment()
    {
        _pos += 2;
        int x = _input.IndexOf("*/", _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            throw Error("unclosed comment");
        }
        _pos = x + 2;
        var (delim, trim) = AtRightDelim();
        if (!delim)
        {
            throw Error("comment ends before closing delimiter");
        }
        if (trim)
        {
            _pos += 2;
        }
        _pos += RightDelim.Length;
        if (trim)
        {
            while (!AtEof() && IsSpace(Peek()))
            {
                _pos++;
            }
        }
        Ignore();
    }

    private void LexRightDelim(bool trim)
    {
        if (trim)
        {
            _pos += 2;
            Ignore();
        }
        _pos += RightDelim.Length;
        Emit(TokenKind.RightDelim);
        if (trim)
        {
            while (!AtEof() && IsSpace(Peek()))
            {
                _pos++;
            }
            Ignore();
        }
    }

    private void LexInsideAction()
    {
        while (true)
        {
            var (delim, trim) = AtRightDelim();
            if (delim)
            {
                if (_parenDepth == 0)
                {
                    LexRightDelim(trim);
                    return;
                }
                throw Error("unclosed left paren");
            }
            if (AtEof())
            {
                throw Error("unclosed action");
            }
            char r = _input[_pos++];
            switch (r)
            {
                case var _ when IsSpace(r):
                    _pos--;
                    LexSpace();
                    break;
                case '=':
                    Emit(TokenKind.Assign);
                    break;
                case ':':
                    if (AtEof() || _input[_pos++] != '=')
                    {
                        throw Error("expected :=");
                    }
                    Emit(TokenKind.Declare);
                    break;
                case '|':
                    Emit(TokenKind.Pipe);
                    break;
                case '"':
                    LexQuote();
                    break;
                case '`':
                    LexRawQuote();
                    break;
                case '$':
                    LexFieldOrVariable(TokenKind.Variable);
                    break;
                case '\'':
                    LexChar();
                    break;
                case '.' when AtEof() || Peek() < '0' || Peek() > '9':
                    LexFieldOrVariable(TokenKind.Field);
                    break;
                case '.' or '+' or '-' or (>= '0' and <= '9'):
                    _pos--;
                    LexNumber();
                    break;
                case var _ when IsAlphaNumeric(r):
                    _pos--;
                    LexIdentifier();
                    break;
                case '(':
                    Emit(TokenKind.LeftParen);
                    _parenDepth++;
                    break;
                case ')':
                    Emit(TokenKind.RightParen);
                    _parenDepth--;
                    if (_parenDepth < 0)
                    {
                        throw Error("unexpected right paren");
                    }
                    break;
                case var _ when r <= 0x7f && !char.IsControl(r):
                    Emit(TokenKind.Char);
                    break;
                default:
                    throw Error("unrecognized character in action: " + FormatRune(r));
            }
        }
    }

    internal static string FormatRune(char r) =>
        string.Create(CultureInfo.InvariantCulture, $"U+{(int)r:X4}") + (char.IsControl(r) ? "" : " '" + r + "'");

    private void LexSpace()
    {
        int numSpaces = 0;
        while (!AtEof() && IsSpace(Peek()))
        {
            _pos++;
            numSpaces++;
        }
        if (HasRightTrimMarker(_pos - 1) && StartsAt(_pos - 1 + 2, RightDelim))
        {
            _pos--;
            if (numSpaces == 1)
            {
                return;
            }
        }
        Emit(TokenKind.Space);
    }

    private bool AtTerminator()
    {
        if (AtEof())
        {
            return true;
        }
        char r = Peek();
        if (IsSpace(r) || r is '.' or ',' or '|' or ':' or ')' or '(')
        {
            return true;
        }
        return StartsAt(_pos, RightDelim);
    }

    private void LexFieldOrVariable(TokenKind kind)
    {
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return;
        }
        while (!AtEof() && IsAlphaNumeric(Peek()))
        {
            _pos++;
        }
        if (!AtTerminator())
        {
            throw Error("bad character " + FormatRune(Peek()));
        }
        Emit(kind);
    }

    private void LexIdentifier()
    {
        while (!AtEof() && IsAlphaNumeric(Peek()))
        {
            _pos++;
        }
        if (!AtTerminator())
        {
            throw Error("bad character " + FormatRune(Peek()));
        }
        string word = _input[_start.._pos];
        if (Keywords.TryGetValue(word, out var kw))
        {
            Emit(kw);
        }
        else if (word is "true" or "false")
        {
            Emit(TokenKind.Bool);
        }
        else
        {
            Emit(TokenKind.Identifier);
        }
    }

    private void LexChar()
    {
        while (true)
        {
            if (AtEof() || Peek() == '\n')
            {
                throw Error("unterminated character constant");
            }
            char c = _input[_pos++];
            if (c == '\\' && !AtEof() && Peek() != '\n')
            {
                _pos++;
                continue;
            }
            if (c == '\'')
            {
                break;
            }
        }
        Emit(TokenKind.CharConstant);
    }

    private void LexQuote()
    {
        while (true)
        {
            if (AtEof() || Peek() == '\n')
            {
                throw Error("unterminated quoted string");
            }
            char c = _input[_pos++];
            if (c == '\\' && !AtEof() && Peek() != '\n')
            {
                _pos++;
                continue;
            }
            if (c == '"')
            {
                break;
            }
        }
        Emit(TokenKind.String);
    }

    private void LexRawQuote()
    {
        int x = _input.IndexOf('`', _pos);
        if (x < 0)
        {
            throw Error("unterminated raw quoted string");
        }
        _pos = x + 1;
        Emit(TokenKind.RawString);
    }

    private void LexNumber()
    {
        if (Peek() is '+' or '-')
        {
            _pos++;
        }
        string digits = "0123456789_";
        if (Peek() == '0' && Peek(1) is 'x' or 'X')
        {
            _pos += 2;
            digits = "0123456789abcdefABCDEF_";
        }
        while (!AtEof() && digits.Contains(Peek(), StringComparison.Ordinal))
        {
            _pos++;
        }
        if (Peek() == '.')
        {
            _pos++;
            while (!AtEof() && digits.Contains(Peek(), StringComparison.Ordinal))
            {
                _pos++;
            }
        }
        if (digits.Length == 11 && Peek() is 'e' or 'E')
        {
            _pos++;
            if (Peek() is '+' or '-')
            {
                _pos++;
            }
            while (!AtEof() && char.IsAsciiDigit(Peek()))
            {
                _pos++;
            }
        }
        if (!AtEof() && IsAlphaNumeric(Peek()))
        {
            _pos++;
            throw Error("bad number syntax: " + GoQuote.Quote(_input[_start.._pos]));
        }
        Emit(TokenKind.Number);
    }
}
