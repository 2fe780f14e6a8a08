// How the page starts its checker worker: worker.js next to main.js when served. The offline
// single-file build replaces this module with one that starts the worker from inlined source.
export function startWorker(): Worker {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
}

/** Whether this build may register the service worker (not in the offline file). */
export const SERVED = true;
