// The checker runs here, off the main thread, so typing never waits for it. The worker keeps
// its own copy of the text and receives the editor's edits, not the whole text on every
// keystroke (copying and posting 5 MB per key was most of the cost on large manifests); its
// wasm Session keeps the parts of the text it read, so a check after an edit reads only the
// parts the edit touched.
import init, { Session, catalog, checkJson, exportReport } from "../pkg/kube4c_wasm.js";
import type { Catalog } from "./generated/report";
import { applyChanges, type Request, type WorkerMessage } from "./protocol";
import { wasmSource } from "./wasm-source";

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

const ready = init({ module_or_path: wasmSource() }).then(
  () => post({ type: "ready", catalog: catalog() as Catalog }),
  (e: unknown) => post({ type: "crashed", message: `could not load the checker: ${String(e)}` }),
);

let text = "";
/** Keeps the parts of the last text: a check after an edit reads only the parts it touched. */
let session: Session | null = null;

self.onmessage = async (ev: MessageEvent<Request>) => {
  await ready;
  const req = ev.data;
  const t0 = performance.now();
  try {
    // An empty profile: the loaded configuration's own profile applies.
    const options = { profile: req.profile || undefined, config: req.config };
    let json: string;
    if (req.type === "check") {
      if (req.text !== undefined) text = req.text;
      else if (req.changes) text = applyChanges(text, req.changes);
      // A JSON string is much cheaper to build in wasm and to post than a tree of objects.
      session ??= new Session();
      json = session.checkJson(text, options);
    } else if (req.format === "check") {
      json = checkJson(req.text, options);
    } else {
      json = exportReport(req.text, options, req.format, req.name ?? "manifest.yaml");
    }
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
