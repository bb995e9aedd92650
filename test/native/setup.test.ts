// The pieces of `skipcheck setup-native` that do not need TensorFlow: argument parsing, N-API folder
// choice, header closure, install recognition, deps/ layout, symbol check and runtime status, on small
// fake trees in a temp folder (and a real tiny shared library when a C compiler is present).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execTool } from '../../server/src/native/exec';
import { bindingEntryHeaders, headerClosure } from '../../server/src/native/headers';
import { layoutDeps, pinnedLibtensorflowVersion, RECORD_FILE } from '../../server/src/native/layout';
import { DEFAULT_TF_VERSION, parseSetupArgs, UsageError } from '../../server/src/native/setupArgs';
import { nativeRuntimeStatus } from '../../server/src/native/status';
import { checkCApiSymbols, exportedDeclarations } from '../../server/src/native/symbols';
import { inspectTfDir } from '../../server/src/native/tfInstall';
import { napiBuildVersion, type TfjsNodePackageJson } from '../../server/src/native/tfjsNodePackage';

function write(file: string, text = ''): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

/** site-packages/tensorflow as the wheel lays it out, with placeholder libraries. */
function fakeWheel(root: string, withNvidia = false): string {
  const tf = path.join(root, 'site-packages', 'tensorflow');
  write(path.join(tf, 'libtensorflow_cc.so.2'), 'capi');
  write(path.join(tf, 'libtensorflow_framework.so.2'), 'framework');
  write(path.join(tf, 'include/tensorflow/c/c_api.h'), '#include "tensorflow/c/tf_status.h"\n#include <stdint.h>\nTF_CAPI_EXPORT extern TF_Status* TF_NewStatus(void);\n');
  write(path.join(tf, 'include/tensorflow/c/tf_status.h'), '#include "tf_status_helper.h"\n#include "tsl/c/gone.h"\n');
  write(path.join(tf, 'include/tensorflow/c/tf_status_helper.h'), '#include "tensorflow/c/tf_status.h"\n');
  write(path.join(tf, 'include/tensorflow/c/eager/c_api.h'), '#include "tensorflow/c/c_api.h"\nTF_CAPI_EXPORT extern TFE_Context* TFE_NewContext(\n    const TFE_ContextOptions* opts);\n');
  write(path.join(tf, 'include/tensorflow/c/unrelated.h'));
  fs.mkdirSync(path.join(root, 'site-packages', 'tensorflow_cpu-2.18.0.dist-info'));
  if (withNvidia) fs.mkdirSync(path.join(root, 'site-packages', 'nvidia', 'cudnn', 'lib'), { recursive: true });
  return tf;
}

/** The parts of a tfjs-node package the setup reads. */
function fakeTfjsNode(nodeModulesParent: string, name = '@tensorflow/tfjs-node'): string {
  const dir = path.join(nodeModulesParent, 'node_modules', name);
  write(path.join(dir, 'package.json'), JSON.stringify({
    name, version: '4.22.0', main: 'index.js', binary: { module_path: './lib/napi-v{napi_build_version}', napi_versions: [3, 4, 5, 6, 7, 8] },
  }));
  write(path.join(dir, 'binding.gyp'), '{}');
  write(path.join(dir, 'scripts/deps-constants.js'), "const LIBTENSORFLOW_VERSION = '2.9.1';\n");
  write(path.join(dir, 'binding/tfjs_backend.cc'),
    '#include "tensorflow/c/eager/c_api.h"\n#include "tensorflow/c/tf_status.h"\n#include "tfjs_backend.h"\n' +
    'void f() { TF_Status* s = TF_NewStatus(); TFE_NewContext(nullptr); TF_TString_Init(nullptr); }\n');
  return dir;
}

describe('setup-native building blocks', () => {
  let tmp: string;
  beforeEach(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'skipcheck-native-')); });
  afterEach(() => { fs.rmSync(tmp, { recursive: true, force: true }); });

  describe('parseSetupArgs', () => {
    it('defaults to the current folder, python3 and the pinned TF version', () => {
      const o = parseSetupArgs([], { XDG_CACHE_HOME: '/c' }, '/w');
      assert.deepEqual([o.target, o.python, o.tfVersion, o.gpu, o.cacheDir], ['/w', 'python3', DEFAULT_TF_VERSION, false, '/c/skipcheck-native']);
    });
    it('resolves paths against the working folder and accepts --name=value', () => {
      const o = parseSetupArgs(['--from', 'venv/tf', '--target=ws', '--gpu', '--tf-version', '2.21.0'], {}, '/w');
      assert.deepEqual([o.from, o.target, o.gpu, o.tfVersion], ['/w/venv/tf', '/w/ws', true, '2.21.0']);
    });
    it('rejects unknown options, missing values, bad versions and --from with --fetch', () => {
      assert.throws(() => parseSetupArgs(['--frm', 'x']), (e: Error) => e instanceof UsageError && /Unknown option '--frm'/.test(e.message));
      assert.throws(() => parseSetupArgs(['--from']), /--from needs a value/);
      assert.throws(() => parseSetupArgs(['--tf-version', 'latest']), /like 2\.18\.0/);
      assert.throws(() => parseSetupArgs(['--from', 'a', '--fetch']), /exclude each other/);
    });
  });

  it('builds the binding for the highest N-API version both sides support, as node-pre-gyp looks it up', () => {
    const pkg = { name: 'tfjs-node', binary: { napi_versions: [3, 4, 5, 6, 7, 8] } } as TfjsNodePackageJson;
    assert.equal(napiBuildVersion(pkg, 9), 8);
    assert.equal(napiBuildVersion(pkg, 5), 5);
    assert.throws(() => napiBuildVersion(pkg, 2), /older than every N-API version/);
  });

  it('collects the quoted-include closure of the binding headers, through cycles, reporting what is missing', () => {
    const tf = fakeWheel(tmp);
    const closure = headerClosure(path.join(tf, 'include'), ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h']);
    assert.deepEqual(closure.files.sort(), [
      'tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tensorflow/c/tf_status.h', 'tensorflow/c/tf_status_helper.h',
    ]);
    assert.deepEqual(closure.missing, [{ header: 'tsl/c/gone.h', includedFrom: 'tensorflow/c/tf_status.h' }]);
    assert.throws(() => headerClosure(tmp, ['tensorflow/c/c_api.h']), /does not hold the TensorFlow C API headers/);
  });

  it('takes the entry headers from binding.gyp and the TF headers the binding sources include', () => {
    const pkg = fakeTfjsNode(tmp);
    assert.deepEqual(bindingEntryHeaders(pkg), ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tensorflow/c/tf_status.h']);
  });

  describe('inspectTfDir', () => {
    it('recognises a wheel install from the package folder or site-packages, with its version', () => {
      const tf = fakeWheel(tmp);
      for (const dir of [tf, path.dirname(tf)]) {
        const install = inspectTfDir(dir);
        assert.equal(install.capiLib, path.join(tf, 'libtensorflow_cc.so.2'));
        assert.equal(install.includeRoot, path.join(tf, 'include'));
        assert.equal(install.version, '2.18.0');
      }
    });
    it('recognises a libtensorflow C release', () => {
      write(path.join(tmp, 'lib/libtensorflow.so.2.9.1'));
      fs.symlinkSync('libtensorflow.so.2.9.1', path.join(tmp, 'lib/libtensorflow.so.2'));
      write(path.join(tmp, 'lib/libtensorflow_framework.so.2'));
      write(path.join(tmp, 'include/tensorflow/c/c_api.h'));
      const install = inspectTfDir(tmp);
      assert.equal(install.capiLib, path.join(tmp, 'lib/libtensorflow.so.2'));
      assert.equal(install.version, '2.9.1');
    });
    it('explains what it expected when the folder is something else', () => {
      assert.throws(() => inspectTfDir(tmp), /not a TensorFlow installation .*libtensorflow_cc\.so\.2/);
      assert.throws(() => inspectTfDir(path.join(tmp, 'nope')), /does not exist/);
    });
  });

  it('lays out deps/: libraries under their SONAMEs, link-time and pinned-version aliases, headers, CUDA libs, record', () => {
    const tf = fakeWheel(tmp, true);
    const pkg = fakeTfjsNode(tmp);
    write(path.join(pkg, 'deps/lib/libtensorflow.so.2.9.1'), 'stale download');
    const install = inspectTfDir(tf);
    const record = layoutDeps(pkg, install, ['tensorflow/c/c_api.h', 'tensorflow/c/tf_status.h'], { mode: 'link-or-copy', gpu: true });
    const lib = path.join(pkg, 'deps/lib');
    assert.equal(pinnedLibtensorflowVersion(pkg), '2.9.1');
    assert.deepEqual(fs.readdirSync(lib).sort(), [
      'libtensorflow.so', 'libtensorflow.so.2', 'libtensorflow.so.2.9.1', 'libtensorflow_cc.so.2',
      'libtensorflow_framework.so', 'libtensorflow_framework.so.2', 'libtensorflow_framework.so.2.9.1',
    ]);
    assert.equal(fs.readFileSync(path.join(lib, 'libtensorflow.so.2.9.1'), 'utf8'), 'capi');
    assert.equal(fs.readlinkSync(path.join(lib, 'libtensorflow.so')), 'libtensorflow_cc.so.2');
    assert.equal(fs.readFileSync(path.join(lib, 'libtensorflow_framework.so'), 'utf8'), 'framework');
    assert.equal(record.placed, 'hardlink');
    assert.equal(fs.statSync(path.join(lib, 'libtensorflow_cc.so.2')).nlink, 2);
    assert.ok(fs.existsSync(path.join(pkg, 'deps/include/tensorflow/c/tf_status.h')));
    assert.ok(!fs.existsSync(path.join(pkg, 'deps/include/tensorflow/c/unrelated.h')));
    assert.ok(fs.existsSync(path.join(pkg, 'deps/nvidia/cudnn/lib')), 'deps/nvidia must mirror site-packages/nvidia');
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(pkg, 'deps', RECORD_FILE), 'utf8')).libraries, ['libtensorflow_cc.so.2', 'libtensorflow_framework.so.2']);
  });

  describe('C API symbol check', () => {
    it('reads exported declarations, including ones split over lines, but not inline helpers', () => {
      const tf = fakeWheel(tmp);
      write(path.join(tf, 'include/tensorflow/c/tstring.h'), 'static inline void TF_TString_Init(TF_TString* s) {}\n');
      const names = exportedDeclarations(path.join(tf, 'include'), ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h', 'tensorflow/c/tstring.h']);
      assert.deepEqual([...names].sort(), ['TFE_NewContext', 'TF_NewStatus']);
    });

    it('names the functions the binding calls that the library does not define', async function () {
      const tf = fakeWheel(tmp);
      const pkg = fakeTfjsNode(tmp);
      const src = write(path.join(tmp, 'capi.c'), 'void* TF_NewStatus(void) { return 0; }\nvoid TF_Other(void) {}\n');
      const lib = path.join(tmp, 'libcapi.so');
      const cc = await execTool('cc', ['-shared', '-fPIC', '-o', lib, src]);
      if (cc.code !== 0) this.skip();
      const headers = ['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h'];
      const check = await checkCApiSymbols(pkg, path.join(tf, 'include'), headers, [lib]);
      assert.deepEqual(check, { checked: true, required: 2, missing: ['TFE_NewContext'] });
    });
  });

  describe('nativeRuntimeStatus', () => {
    it('is not ready when tfjs-node is installed without a built binding, and says what to run', () => {
      const pkg = fakeTfjsNode(tmp);
      const status = nativeRuntimeStatus([tmp]);
      assert.equal(status.ready, false);
      assert.equal(status.packageDir, fs.realpathSync(pkg));
      assert.match(status.reason, /native binding was never built/);
      assert.match(status.advice ?? '', /skipcheck setup-native/);
    });
    it('is ready once the binding exists in the N-API folder node-pre-gyp looks in, preferring the GPU package', () => {
      const cpu = fakeTfjsNode(tmp);
      const gpu = fakeTfjsNode(tmp, '@tensorflow/tfjs-node-gpu');
      const napi = Math.min(8, Number(process.versions.napi));
      write(path.join(cpu, `lib/napi-v${napi}/tfjs_binding.node`));
      assert.equal(nativeRuntimeStatus([tmp]).packageName, '@tensorflow/tfjs-node');
      write(path.join(gpu, `lib/napi-v${napi}/tfjs_binding.node`));
      const status = nativeRuntimeStatus([tmp]);
      assert.deepEqual([status.ready, status.packageName], [true, '@tensorflow/tfjs-node-gpu']);
    });
  });
});
