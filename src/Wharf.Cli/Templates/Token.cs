namespace Wharf.Cli.Templates;

internal readonly record struct Token(TokenKind Kind, int Pos, string Value, int Line)
{
    public override string ToString() => Kind switch
    {
        TokenKind.Eof => "EOF",
        TokenKind.Error => Value,
        >= TokenKind.Block => "<" + Value + ">",
        _ when Value.Length > 10 => $"\"{Value[..10]}\"...",
        _ => GoQuote.Quote(Value),
    };
}
