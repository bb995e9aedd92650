// Exported functions as written, found without the analyzer: the fallback list of trainable entries.
const exportedFunction = /^\s*export\s+(?:default\s+)?(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/gm;
const exportedArrow = /^\s*export\s+const\s+([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?(?:function\b|\([^)]*\)\s*(?::[^=]+)?=>|[A-Za-z_$][\w$]*\s*=>)/gm;

export function exportedFunctionNames(text: string): string[] {
  const names = new Set<string>();
  for (const re of [exportedFunction, exportedArrow]) {
    for (const m of text.matchAll(re)) names.add(m[1]);
  }
  return [...names];
}
