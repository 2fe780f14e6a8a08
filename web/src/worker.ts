// The checker runs here, off the main thread, so typing never waits for it.
import init, { catalog, checkJson } from "../pkg/kube4c_wasm.js";
import type { Catalog } from "./generated/report";
import type { CheckRequest, WorkerMessage } from "./protocol";

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

const ready = init({ module_or_path: new URL("kube4c_wasm_bg.wasm", import.meta.url) }).then(
  () => post({ type: "ready", catalog: catalog() as Catalog }),
  (e: unknown) => post({ type: "crashed", message: `could not load the checker: ${String(e)}` }),
);

self.onmessage = async (ev: MessageEvent<CheckRequest>) => {
  await ready;
  const req = ev.data;
  const t0 = performance.now();
  try {
    // A JSON string is much cheaper to build in wasm and to post than a tree of objects.
    // An empty profile: the loaded configuration's own profile applies.
    const json = checkJson(req.text, { profile: req.profile || undefined, config: req.config });
    post({ type: "result", id: req.id, json, ms: performance.now() - t0 });
  } catch (e) {
    // A trap (`unreachable`) leaves the module unusable: ask the page to start a new worker.
    if (e instanceof WebAssembly.RuntimeError) {
      post({ type: "crashed", message: String(e) });
    } else {
      post({ type: "failed", id: req.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
};
