using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace CamAssert.Analyzers.Manifests;

/// <summary>
/// A small JSON reader for model manifests (netstandard2.0 has no System.Text.Json and analyzers
/// should not ship extra packages). Objects become dictionaries, arrays lists, numbers doubles.
/// </summary>
internal sealed class Json
{
    private readonly string _s;
    private int _i;

    private Json(string s) => _s = s;

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> with the offset on bad input.</summary>
    public static object? Parse(string text)
    {
        var p = new Json(text);
        var value = p.Value(0);
        p.Space();
        if (p._i != p._s.Length) throw p.Error("unexpected text after the value");
        return value;
    }

    private object? Value(int depth)
    {
        if (depth > 64) throw Error("nesting is too deep");
        Space();
        if (_i >= _s.Length) throw Error("unexpected end");
        char c = _s[_i];
        switch (c)
        {
            case '{':
            {
                _i++;
                var obj = new Dictionary<string, object?>(StringComparer.Ordinal);
                Space();
                if (Peek('}')) { _i++; return obj; }
                while (true)
                {
                    Space();
                    string key = String();
                    Space();
                    Expect(':');
                    obj[key] = Value(depth + 1);
                    Space();
                    if (Peek(',')) { _i++; continue; }
                    Expect('}');
                    return obj;
                }
            }
            case '[':
            {
                _i++;
                var list = new List<object?>();
                Space();
                if (Peek(']')) { _i++; return list; }
                while (true)
                {
                    list.Add(Value(depth + 1));
                    Space();
                    if (Peek(',')) { _i++; continue; }
                    Expect(']');
                    return list;
                }
            }
            case '"': return String();
            case 't': Word("true"); return true;
            case 'f': Word("false"); return false;
            case 'n': Word("null"); return null;
            default: return Number();
        }
    }

    private string String()
    {
        Expect('"');
        var sb = new StringBuilder();
        while (_i < _s.Length)
        {
            char c = _s[_i++];
            if (c == '"') return sb.ToString();
            if (c != '\\') { sb.Append(c); continue; }
            if (_i >= _s.Length) break;
            char e = _s[_i++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'u':
                    if (_i + 4 > _s.Length) throw Error("bad \\u escape");
                    sb.Append((char)int.Parse(_s.Substring(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _i += 4;
                    break;
                default: sb.Append(e); break;
            }
        }
        throw Error("unterminated string");
    }

    private double Number()
    {
        int start = _i;
        while (_i < _s.Length && "+-0123456789.eE".IndexOf(_s[_i]) >= 0) _i++;
        if (start == _i || !double.TryParse(_s.Substring(start, _i - start), NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
            throw Error("expected a value");
        return d;
    }

    private void Word(string w)
    {
        if (string.CompareOrdinal(_s, _i, w, 0, w.Length) != 0) throw Error($"expected {w}");
        _i += w.Length;
    }

    private void Space() { while (_i < _s.Length && char.IsWhiteSpace(_s[_i])) _i++; }

    private bool Peek(char c) => _i < _s.Length && _s[_i] == c;

    private void Expect(char c)
    {
        if (!Peek(c)) throw Error($"expected '{c}'");
        _i++;
    }

    private FormatException Error(string what) => new FormatException($"{what} at offset {_i}");
}
