// Loads a fixture (TS or JS) as a CommonJS module in a fresh module scope, so every build starts from
// scratch: tfjs specifiers resolve to the tf object the caller passes in, relative imports are transpiled
// and loaded the same way, anything else goes through Node's own resolution.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { createRequire } from 'node:module';
import ts from 'typescript';
import { callSiteTransformer, type CallSite } from './callSites';

const TFJS_SPECIFIER = /^@tensorflow\/tfjs(-[a-z-]+)?$/;
const RESOLVE_EXTENSIONS = ['', '.ts', '.tsx', '.js', '.mjs', '.cjs', '/index.ts', '/index.js'];

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  esModuleInterop: true,
  allowJs: true,
};

export interface LoadedModule {
  file: string;
  exports: Record<string, unknown>;
  /** Values of the module's non-exported top-level variables after its body ran, for naming models. */
  locals: Map<string, unknown>;
}

export interface ModuleScope {
  /** Runs `file`'s top-level code (and that of the relative modules it imports) and returns the result. */
  load(file: string): LoadedModule;
  /** Where the object was first returned by a call or `new` in a loaded module, if `siteKey` tracked it. */
  siteOf(key: object): CallSite | undefined;
}

export interface ModuleScopeOptions {
  /** The object a call's result should be remembered under (e.g. a layer), or undefined to ignore it. */
  siteKey?(value: unknown): object | undefined;
}

const SITE_HOOK = '__skipcheckSite';
const LOCALS_HOOK = '__skipcheckLocals';

/** A loader whose module cache lives as long as the returned scope: one scope per build. */
export function createModuleScope(tf: unknown, options: ModuleScopeOptions = {}): ModuleScope {
  const cache = new Map<string, LoadedModule>();
  const sites = new WeakMap<object, CallSite>();

  function load(file: string): LoadedModule {
    const absolute = path.resolve(file);
    const cached = cache.get(absolute);
    if (cached) return cached;
    const source = readSource(absolute);
    const sourceFile = ts.createSourceFile(absolute, source, ts.ScriptTarget.Latest, true, scriptKind(absolute));
    const localNames = topLevelLocalNames(sourceFile);
    const { outputText: js, diagnostics = [] } = ts.transpileModule(source, {
      compilerOptions: COMPILER_OPTIONS,
      fileName: absolute,
      reportDiagnostics: true,
      transformers: options.siteKey ? { before: [callSiteTransformer(sourceFile, SITE_HOOK)] } : undefined,
    });
    if (diagnostics.length > 0) throw new Error(describeDiagnostic(diagnostics[0]));

    const loaded: LoadedModule = { file: absolute, exports: {}, locals: new Map() };
    const module = { exports: loaded.exports as unknown, loaded: false };
    cache.set(absolute, loaded);
    const nodeRequire = createRequire(absolute);
    const fixtureRequire = (specifier: string): unknown => {
      if (TFJS_SPECIFIER.test(specifier)) return tf;
      if (specifier.startsWith('.') || path.isAbsolute(specifier)) {
        return load(resolveRelative(path.dirname(absolute), specifier)).exports;
      }
      return nodeRequire(specifier);
    };
    const recordSite = (line: number, character: number, evaluate: () => unknown): unknown => {
      const result = evaluate();
      const key = options.siteKey?.(result);
      if (key && !sites.has(key)) sites.set(key, { file: absolute, line, character });
      return result;
    };
    const recordLocals = (read: (name: string) => unknown): void => {
      for (const name of localNames) loaded.locals.set(name, read(name));
    };
    // The outer function supplies a global-looking `tf` that the module's own `const tf = ...` may shadow.
    const wrapper =
      `(function (tf, ${SITE_HOOK}, ${LOCALS_HOOK}) { return function (exports, require, module, __filename, __dirname) {` +
      js +
      `\n;${LOCALS_HOOK}(function (name) { try { return eval(name); } catch { return undefined; } });\n} })`;
    const factory = vm.runInThisContext(wrapper, { filename: absolute }) as (
      tf: unknown, site: typeof recordSite, locals: typeof recordLocals,
    ) => (...args: unknown[]) => void;
    const body = factory(tf, recordSite, recordLocals);
    body.call(module.exports, module.exports, fixtureRequire, module, absolute, path.dirname(absolute));
    loaded.exports = module.exports as Record<string, unknown>;
    return loaded;
  }

  return { load, siteOf: (key) => sites.get(key) };
}

function describeDiagnostic(diagnostic: ts.Diagnostic): string {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return message;
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return `${diagnostic.file.fileName}:${line + 1}:${character + 1}: ${message}`;
}

function readSource(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read fixture ${file}: ${(error as Error).message}`);
  }
}

function resolveRelative(fromDir: string, specifier: string): string {
  const base = path.resolve(fromDir, specifier);
  for (const extension of RESOLVE_EXTENSIONS) {
    const candidate = base + extension;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  throw new Error(`cannot resolve '${specifier}' from ${fromDir}`);
}

/** Names bound by top-level `const`/`let`/`var` statements that are not exported (exports are visible anyway). */
function topLevelLocalNames(sourceFile: ts.SourceFile): string[] {
  const names: string[] = [];
  const collect = (binding: ts.BindingName): void => {
    if (ts.isIdentifier(binding)) names.push(binding.text);
    else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) collect(element.name);
  };
  for (const statement of sourceFile.statements) {
    if (!ts.isVariableStatement(statement) || isExported(statement)) continue;
    for (const declaration of statement.declarationList.declarations) collect(declaration.name);
  }
  return names;
}

/** Exported names in source order, so entry points run in declaration order. */
export function exportedNamesInOrder(file: string): string[] {
  const sourceFile = ts.createSourceFile(file, readSource(file), ts.ScriptTarget.Latest, false, scriptKind(file));
  const names: string[] = [];
  for (const statement of sourceFile.statements) {
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const element of statement.exportClause.elements) names.push(element.name.text);
    } else if (isExported(statement)) {
      const isDefault = ts.getModifiers(statement as ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) {
          if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
        }
      } else if (isDefault) {
        names.push('default');
      } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
        names.push(statement.name.text);
      }
    }
  }
  return names;
}

function isExported(statement: ts.Statement): boolean {
  return ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

function scriptKind(file: string): ts.ScriptKind {
  return /\.[cm]?jsx?$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}
