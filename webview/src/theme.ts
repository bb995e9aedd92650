// Canvas drawing cannot use CSS variables directly, so the theme is resolved to concrete colours here.
// The variables are defined in training.css on top of VS Code's own (--vscode-*), with fallbacks for a plain page.

export interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  palette: string[];
  /** Changes whenever any colour changes; charts are rebuilt when it does. */
  key: string;
}

const paletteVars = ['--sc-c1', '--sc-c2', '--sc-c3', '--sc-c4', '--sc-c5', '--sc-c6', '--sc-c7'];

export function readTheme(el: Element): Theme {
  const style = getComputedStyle(el);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const theme = {
    foreground: v('--sc-fg', '#333333'),
    muted: v('--sc-muted', '#767676'),
    grid: v('--sc-grid', 'rgba(128,128,128,0.25)'),
    palette: paletteVars.map((name, i) => v(name, ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#b08800', '#8c959f'][i])),
  };
  return { ...theme, key: JSON.stringify(theme) };
}

export function paletteColor(theme: Theme, slot: number): string {
  return theme.palette[slot % theme.palette.length];
}

/** Calls `onChange` when VS Code switches theme (it rewrites the body class and the html style). */
export function watchTheme(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  const media = window.matchMedia?.('(prefers-color-scheme: dark)');
  media?.addEventListener?.('change', onChange);
  return () => {
    observer.disconnect();
    media?.removeEventListener?.('change', onChange);
  };
}
