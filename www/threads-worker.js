// The dedicated module Worker that owns the threaded wasm module (crates/interleave-threads).
// wasm-bindgen-rayon's pool must never block the page's main thread, so the page talks to
// this worker with messages only. Replies: {type:'ready'|'fatal'|'check'|'check-error', ...}.
import init, {
  initThreadPool,
  renderSerial,
  renderParallel,
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
  return { isolated, atomics, cores, workers, reason };
})();

ready.then(
  (info) => postMessage({ type: 'ready', ...info }),
  (e) => postMessage({ type: 'fatal', message: `could not load the threads module: ${e?.message ?? e}` }),
);

self.onmessage = async ({ data }) => {
  if (data?.type !== 'check') return;
  let info;
  try {
    info = await ready;
  } catch {
    return; // 'fatal' was already reported
  }
  try {
    const { width, height, maxIter } = data;
    const t0 = performance.now();
    const serial = renderSerial(width, height, maxIter);
    const t1 = performance.now();
    const reply = { type: 'check', serialTotal: serial.totalIterations, serialMs: t1 - t0 };
    serial.free();
    if (info.workers > 0) {
      const parallel = renderParallel(width, height, maxIter);
      const t2 = performance.now();
      reply.parallelTotal = parallel.totalIterations;
      reply.parallelMs = t2 - t1;
      reply.distinctWorkers = parallel.distinctWorkers;
      parallel.free();
    }
    postMessage(reply);
  } catch (e) {
    postMessage({ type: 'check-error', message: String(e?.message ?? e) });
  }
};
