// Parses the expectation header of a fixture:
//   // expect: <rule-id> line <N> <substring the message should contain>
//   // tfjs-error: <substring of the error tfjs throws while building>
// Only the leading block of comment lines counts, so code further down cannot add expectations by accident.
import * as fs from 'node:fs';
import type { RuleId } from '../../server/src/analysis/types';
import { RULE_IDS } from '../../server/src/analysis/rules/registry';

export interface ExpectedFinding {
  rule: RuleId;
  /** 1-based line of the merge call / offending layer call. */
  line: number;
  messageIncludes: string;
}

export interface Expectations {
  findings: ExpectedFinding[];
  /** Set when building the fixture with tfjs must throw; the thrown message must contain it. */
  tfjsError?: string;
}

const KNOWN_RULES: ReadonlySet<string> = new Set(RULE_IDS);

const EXPECT = /^\/\/\s*expect:\s*(\S+)\s+line\s+(\d+)\s+(.+?)\s*$/;
const TFJS_ERROR = /^\/\/\s*tfjs-error:\s*(.+?)\s*$/;

export function loadExpectations(file: string): Expectations {
  return parseExpectations(fs.readFileSync(file, 'utf8'), file);
}

export function parseExpectations(text: string, file = '<text>'): Expectations {
  const lines = text.split(/\r?\n/);
  const result: Expectations = { findings: [] };
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    if (!line.startsWith('//')) break;
    const where = `${file}:${index + 1}`;
    if (/^\/\/\s*expect:/.test(line)) {
      const match = EXPECT.exec(line);
      if (!match) throw new Error(`${where}: expected '// expect: <rule-id> line <N> <message substring>', got '${line}'`);
      const [, rule, lineText, messageIncludes] = match;
      if (!KNOWN_RULES.has(rule)) throw new Error(`${where}: unknown rule '${rule}' (known: ${RULE_IDS.join(', ')})`);
      const target = Number(lineText);
      if (target < 1 || target > lines.length) throw new Error(`${where}: line ${target} is outside the file (${lines.length} lines)`);
      result.findings.push({ rule: rule as RuleId, line: target, messageIncludes });
    } else if (/^\/\/\s*tfjs-error:/.test(line)) {
      const match = TFJS_ERROR.exec(line);
      if (!match) throw new Error(`${where}: expected '// tfjs-error: <message substring>', got '${line}'`);
      if (result.tfjsError !== undefined) throw new Error(`${where}: a second tfjs-error line`);
      result.tfjsError = match[1];
    }
  }
  return result;
}

const MARKER = /\/\/\s*expect:\s*(\S+)(?:\s+(.*?))?\s*$/;

/**
 * Inline markers, written at the end of the line a finding starts on:
 *   const out = tf.layers.add().apply([y, x]); // expect: residual-shape-mismatch <optional message substring>
 * The line is where the marker is, so fixtures can be edited without renumbering anything.
 */
export function parseInlineMarkers(text: string, file = '<text>'): ExpectedFinding[] {
  const found: ExpectedFinding[] = [];
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const code = raw.trimStart();
    if (code.startsWith('//')) continue; // comments above the code describe the fixture; only trailing markers count
    const match = MARKER.exec(raw);
    if (!match) continue;
    const [, rule, messageIncludes] = match;
    if (!KNOWN_RULES.has(rule)) throw new Error(`${file}:${index + 1}: unknown rule '${rule}' (known: ${RULE_IDS.join(', ')})`);
    found.push({ rule: rule as RuleId, line: index + 1, messageIncludes: messageIncludes ?? '' });
  }
  return found;
}
