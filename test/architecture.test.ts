// The dependency rules of ARCHITECTURE.md, checked on the real tree, and shown to fail on a fixture tree
// (test/architecture/fixtures/bad) that breaks each of them once.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  ANALYSIS_ORDER, allEdges, analysisPurityViolations, clientServerViolations, crossings, filesWithoutHeader,
  layerOrderViolations, runtimeCycles, contractViolations, sourceFiles,
} from './support/architecture';
import { staleReason } from './support/freshDist';

const ROOT = path.resolve(__dirname, '..');
const BAD = path.join(__dirname, 'architecture', 'fixtures', 'bad');

describe('architecture', () => {
  const edges = allEdges(ROOT);

  it('reads the whole source tree', () => {
    const files = sourceFiles(ROOT);
    for (const f of ['server/src/analysis/analyze.ts', 'client/src/extension.ts', 'webview/src/main.ts', 'contract/protocol.ts']) assert.ok(files.includes(f), f);
    assert.ok(edges.length > 300, `${edges.length} imports`);
  });

  it('analysis/ imports only typescript and itself', () => {
    assert.deepEqual(analysisPurityViolations(edges), []);
  });

  it(`analysis/ follows the layer order ${ANALYSIS_ORDER}`, () => {
    assert.deepEqual(layerOrderViolations(edges), []);
  });

  it('no runtime import cycle in server/, client/ or webview/', () => {
    assert.deepEqual(runtimeCycles(edges), []);
  });

  it('analysis/ has no cycle even counting type imports, but for the mutually recursive value model', () => {
    // A Value can be a function, which closes over a Scope and its ModuleRecord, which hold Values: one
    // recursive type spread over three files. At run time scope.ts and modules.ts do not load values.ts.
    const withTypes = edges.filter((e) => e.from.startsWith('server/src/analysis/')).map((e) => ({ ...e, typeOnly: false }));
    assert.deepEqual(runtimeCycles(withTypes), [['server/src/analysis/interp/modules.ts', 'server/src/analysis/interp/scope.ts', 'server/src/analysis/interp/values.ts']]);
  });

  it('client/ imports server/ only as types', () => {
    // What the extension host needs from the trainer side is either pure (contract/) or asked of the trainer
    // program (contract/trainerQuery.ts).
    assert.deepEqual(clientServerViolations(edges), []);
  });

  it('the trainer never imports webview code, nor the webview the server: what both need is in contract/', () => {
    assert.deepEqual(crossings(edges, 'server/src/trainer/', 'webview/'), []);
    assert.deepEqual(crossings(edges, 'webview/', 'server/'), []);
    assert.deepEqual(crossings(edges, 'webview/', 'client/'), []);
  });

  it('contract/ (the contract between trainer, extension and webview) imports only itself', () => {
    assert.deepEqual(contractViolations(edges), []);
  });

  it('native/ (setup and status of the native runtime) does not import the trainer that uses it', () => {
    assert.deepEqual(crossings(edges, 'server/src/native/', 'server/src/trainer/'), []);
  });

  it('dist/ is not older than the sources it is built from (test/support/freshDist.ts rebuilt it before the run)', () => {
    assert.equal(staleReason(), undefined);
  });

  it('every source file starts with a header comment', () => {
    assert.deepEqual(filesWithoutHeader(ROOT), []);
  });

  describe('on a fixture tree that breaks each rule once', () => {
    const bad = allEdges(BAD);

    it('reports the analysis file that imports node:fs', () => {
      assert.deepEqual(analysisPurityViolations(bad), [
        "server/src/analysis/rules/bad.ts imports 'node:fs' (analysis/ may import only typescript and itself)",
      ]);
    });

    it('reports the imports against the layer order, type-only ones included', () => {
      assert.deepEqual(layerOrderViolations(bad), [
        'server/src/analysis/graph/graph.ts (graph) imports server/src/analysis/interp/values.ts (interp), against the order ' + ANALYSIS_ORDER,
        'server/src/analysis/rules/bad.ts (rules) imports server/src/analysis/fixes/edit.ts (fixes), against the order ' + ANALYSIS_ORDER,
      ]);
    });

    it('reports the runtime cycle and not the type-only one', () => {
      assert.deepEqual(runtimeCycles(bad), [['server/src/analysis/fixes/edit.ts', 'server/src/analysis/rules/bad.ts']]);
    });

    it('reports the client importing the server at run time, not the type import', () => {
      assert.deepEqual(clientServerViolations(bad), [
        'client/src/ext.ts imports server/src/analysis/analyze.ts at run time (client/ may import server/ only as types)',
      ]);
    });

    it('reports the trainer importing webview code', () => {
      assert.deepEqual(crossings(bad, 'server/src/trainer/', 'webview/'), ['server/src/trainer/run.ts imports webview/src/chart.ts']);
    });

    it('reports contract/ importing Node', () => {
      assert.deepEqual(contractViolations(bad), ["contract/protocol.ts imports 'node:fs' (contract/ may import only itself)"]);
    });

    it('reports the file without a header', () => {
      assert.deepEqual(filesWithoutHeader(BAD), ['webview/src/chart.ts']);
    });
  });
});
