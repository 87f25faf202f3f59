/**
 * Python's `repr()` of a `str`, reimplemented so prompts match the training data byte for byte:
 * the dataset's options were written by Python, and the fine-tune learned exactly those bytes.
 */

// Python's str.isprintable() is false for categories Other (Cc, Cf, Cs, Co, Cn) and Separator
// (Zl, Zp, Zs) except the ASCII space; repr() hex-escapes exactly those. Cn follows Node's Unicode
// version, which can differ from the Python that wrote a dataset only for newly assigned code points.
const NON_PRINTABLE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]$/u;

const SIMPLE_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

function hexEscape(codePoint: number): string {
  if (codePoint < 0x100) return `\\x${codePoint.toString(16).padStart(2, "0")}`;
  if (codePoint < 0x10000) return `\\u${codePoint.toString(16).padStart(4, "0")}`;
  return `\\U${codePoint.toString(16).padStart(8, "0")}`;
}

export function pyRepr(s: string): string {
  // Python prefers single quotes and switches to double only when that avoids escaping.
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  // for…of walks code points, and yields lone surrogates on their own, as Python sees them.
  for (const ch of s) {
    const simple = SIMPLE_ESCAPES[ch];
    if (simple !== undefined) out += simple;
    else if (ch === quote) out += `\\${ch}`;
    else if (ch !== " " && NON_PRINTABLE.test(ch)) out += hexEscape(ch.codePointAt(0)!);
    else out += ch;
  }
  return out + quote;
}
