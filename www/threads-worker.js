// The dedicated module Worker that owns the threaded wasm module (crates/interleave-threads).
// wasm-bindgen-rayon's pool must never block the page's main thread, so the page talks to
// this worker with messages only. Replies: {type:'ready'|'fatal'|'run'|'run-error', ...}.
import init, {
  initThreadPool,
  runWorkload,
  builtWithAtomics,
} from '../threads/interleave_threads.js';

function reasonWithoutThreads(isolated, atomics) {
  if (!atomics) return 'This build of the threads module has no shared memory.';
  if (!isolated) {
    return 'This page is not cross-origin isolated, so the browser withholds ' +
      'SharedArrayBuffer and Web Workers cannot share memory: the work runs on one thread. ' +
      '(Isolation needs the COOP and COEP response headers, and a page framed inside ' +
      'another site is never isolated.)';
  }
  return null;
}

const ready = (async () => {
  await init();
  const isolated = self.crossOriginIsolated === true;
  const atomics = builtWithAtomics();
  const cores = Math.max(1, navigator.hardwareConcurrency | 0);
  let reason = reasonWithoutThreads(isolated, atomics);
  let workers = 0;
  if (reason === null) {
    try {
      await initThreadPool(cores);
      workers = cores;
    } catch (e) {
      reason = `The thread pool failed to start: ${e?.message ?? e}`;
    }
  }
  // Warm up: the first run of a function runs baseline-compiled wasm until the browser's
  // optimising tier takes over, which would make the first (1-thread) run look slow and the
  // speedup look better than it is.
  runWorkload('mandelbrot', 0, 1).free();
  return { isolated, atomics, cores, workers, reason };
})();

ready.then(
  (info) => postMessage({ type: 'ready', ...info }),
  (e) => postMessage({ type: 'fatal', message: `could not load the threads module: ${e?.message ?? e}` }),
);

// One run of a Real threads workload: {type:'run', workload, serialPercent, threads}.
// Replies {type:'run', ..., wallMs, checksum, pieces: Float64Array, pixels: Uint32Array}.
async function runOne(data) {
  const info = await ready;
  const { workload, serialPercent, threads } = data;
  try {
    if (threads > 1 && info.workers === 0) throw new Error('no thread pool on this page');
    const r = runWorkload(workload, serialPercent, Math.min(threads, Math.max(1, info.workers)));
    const pieces = new Float64Array(r.pieces);
    const pixels = new Uint32Array(r.pixels);
    const reply = { type: 'run', workload, serialPercent, threads, wallMs: r.wallMs, checksum: r.checksum, pieces, pixels };
    r.free();
    postMessage(reply, [pieces.buffer, pixels.buffer]);
  } catch (e) {
    postMessage({ type: 'run-error', message: String(e?.message ?? e) });
  }
}

self.onmessage = async ({ data }) => {
  if (data?.type === 'run') {
    try { await ready; } catch { return; }
    return runOne(data);
  }
};
