// Writing a file so that a crash, a full disk or a concurrent reader never sees it half-written: the data
// goes to a temporary sibling (same folder, hence same file system, so the rename is atomic), is flushed
// to the device, and only then replaces the target. The target's permission bits are kept.
import * as fs from 'node:fs';
import { basename, dirname, join } from 'node:path';

let counter = 0;

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  let mode: number | undefined;
  try { mode = fs.statSync(path).mode & 0o7777; } catch { /* a new file: the default mode */ }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${counter++}.tmp`);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', mode ?? 0o666);
    // A write can be short: loop until everything is on disk (or the disk says no).
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let off = 0; off < bytes.byteLength;) off += fs.writeSync(fd, bytes, off, bytes.byteLength - off);
    // openSync's mode is filtered by the umask; the target's own bits are what the user chose.
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, path);
  } catch (err) {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* already failing */ }
    try { fs.unlinkSync(tmp); } catch { /* never created */ }
    throw err;
  }
  syncDir(dirname(path));
}

/** The rename itself is durable only once the folder's entry is flushed; not every platform allows it. */
function syncDir(dir: string): void {
  let fd: number | undefined;
  try { fd = fs.openSync(dir, 'r'); fs.fsyncSync(fd); } catch { /* Windows, or a file system without it */ } finally {
    if (fd !== undefined) try { fs.closeSync(fd); } catch { /* ignore */ }
  }
}
