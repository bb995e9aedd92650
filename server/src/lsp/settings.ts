// Per-resource settings, read through workspace/configuration and cached until the client says they changed.
import type { Connection } from 'vscode-languageserver/node';
import type { RuleId, Severity } from '../analysis';

export type RuleLevel = 'off' | Severity;
export type HintMode = 'all' | 'changes' | 'auto';
const hintModes: readonly HintMode[] = ['all', 'changes', 'auto'];

export interface Settings {
  /** Absent rule: the finding's own severity. */
  rules: Partial<Record<RuleId, RuleLevel>>;
  /** `show`: every stored apply, only those that change the shape, or 'auto' (changes only in files with many layers). */
  inlayHints: { enabled: boolean; maxLength: number; show: HintMode };
  debounceMs: number;
  /** Hint-level "not analysed: …" diagnostics on functions the analyzer could not follow. */
  notAnalysed: boolean;
}

export const defaultSettings: Settings = {
  rules: {},
  inlayHints: { enabled: true, maxLength: 40, show: 'auto' },
  debounceMs: 150,
  notAnalysed: true,
};

const levels: readonly RuleLevel[] = ['off', 'hint', 'info', 'warning', 'error'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Clients send either VS Code's nested form ({ rules: { 'x': 'off' } }) or flat dotted keys
 * ({ 'rules.x': 'off' }, common in Neovim/Helix configs); both are read. Bad values fall back to defaults.
 */
export function parseSettings(raw: unknown): Settings {
  const flat = new Map<string, unknown>();
  const walk = (value: unknown, prefix: string) => {
    if (!isRecord(value)) return;
    for (const [k, v] of Object.entries(value)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (isRecord(v)) walk(v, key);
      else flat.set(key.replace(/^skipcheck\./, ''), v);
    }
  };
  walk(raw, '');

  const rules: Settings['rules'] = {};
  let enabled = defaultSettings.inlayHints.enabled;
  let maxLength = defaultSettings.inlayHints.maxLength;
  let show = defaultSettings.inlayHints.show;
  let debounceMs = defaultSettings.debounceMs;
  let notAnalysed = defaultSettings.notAnalysed;
  for (const [key, v] of flat) {
    if (key.startsWith('rules.')) {
      if (typeof v === 'string' && (levels as readonly string[]).includes(v)) rules[key.slice(6) as RuleId] = v as RuleLevel;
    } else if (key === 'inlayHints.enabled' && typeof v === 'boolean') enabled = v;
    else if (key === 'inlayHints.maxLength' && typeof v === 'number' && v >= 1) maxLength = Math.floor(v);
    else if (key === 'inlayHints.show' && typeof v === 'string' && (hintModes as readonly string[]).includes(v)) show = v as HintMode;
    else if (key === 'debounceMs' && typeof v === 'number' && v >= 0) debounceMs = v;
    else if (key === 'notAnalysed' && typeof v === 'boolean') notAnalysed = v;
  }
  return { rules, inlayHints: { enabled, maxLength, show }, debounceMs, notAnalysed };
}

export class SettingsCache {
  private readonly pending = new Map<string, Promise<Settings>>();
  private readonly resolved = new Map<string, Settings>();
  /** From didChangeConfiguration, for clients without workspace/configuration. */
  private pushed: Settings = defaultSettings;

  constructor(
    private readonly connection: Connection,
    private readonly canPull: () => boolean,
  ) {}

  get(uri: string): Promise<Settings> {
    if (!this.canPull()) return Promise.resolve(this.pushed);
    let settings = this.pending.get(uri);
    if (!settings) {
      settings = this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'skipcheck' }).then(
        (raw) => {
          // A client with nothing configured answers null: then what it pushed (initializationOptions) holds.
          const parsed = raw === null || raw === undefined ? this.pushed : parseSettings(raw);
          if (this.pending.get(uri) === settings) this.resolved.set(uri, parsed);
          return parsed;
        },
        (err) => {
          this.connection.console.warn(`skipcheck: could not read settings for ${uri}: ${String(err)}`);
          this.pending.delete(uri);
          return this.pushed;
        },
      );
      this.pending.set(uri, settings);
    }
    return settings;
  }

  /** The settings already known, for synchronous paths (the debounce delay); defaults until fetched. */
  peek(uri: string): Settings {
    return (this.canPull() ? this.resolved.get(uri) : this.pushed) ?? defaultSettings;
  }

  changed(pushedSettings: unknown): void {
    this.pending.clear();
    this.resolved.clear();
    const section = isRecord(pushedSettings) && 'skipcheck' in pushedSettings ? pushedSettings.skipcheck : pushedSettings;
    this.pushed = parseSettings(section);
  }

  forget(uri: string): void {
    this.pending.delete(uri);
    this.resolved.delete(uri);
  }
}
