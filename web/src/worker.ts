// The checker runs here, off the main thread, so typing never waits for it. The worker's wasm
// Session keeps its own copy of the text and receives the editor's edits, not the whole text
// on every keystroke (copying and posting 5 MB per key was most of the cost on large
// manifests, and passing it into wasm several milliseconds more); it keeps the parts of the
// text it read and what it found in them, so a check after an edit reads and checks only the
// parts the edit touched.
import init, { Session, catalog, checkJson, exportReport } from "../pkg/kube4c_wasm.js";
import type { Catalog } from "./generated/report";
import { type Request, type SharedViews, type WorkerMessage, sharedViews } from "./protocol";
import { wasmSource } from "./wasm-source";

const post = (m: WorkerMessage) => (self as unknown as Worker).postMessage(m);

const ready = init({ module_or_path: wasmSource() }).then(
  () => post({ type: "ready", catalog: catalog() as Catalog }),
  (e: unknown) => post({ type: "crashed", message: `could not load the checker: ${String(e)}` }),
);

/** Holds the text (in wasm memory) and what it read and found in its parts: a check after an
 * edit reads and checks only the parts the edit touched. */
let session: Session | null = null;
const encoder = new TextEncoder();

/** Where the result of a check of edits also goes, if the page shares memory (see
 * checker.ts, `takeInFrame`). */
let shared: SharedViews | null = null;

/** Put check `id`'s result in shared memory, if it fits, for the page to read in its frame. */
function share(id: number, json: string, ms: number, began: number, ended: number) {
  if (!shared || json.length > shared.bytes.length) return;
  // (encodeInto refuses shared memory: encoded, then copied.)
  const bytes = encoder.encode(json);
  if (bytes.length > shared.bytes.length) return;
  shared.bytes.set(bytes);
  shared.floats.set([ms, began, ended]);
  Atomics.store(shared.ints, 1, bytes.length);
  // Last: the page reads the bytes only once it sees this id.
  Atomics.store(shared.ints, 0, id);
}

self.onmessage = async (ev: MessageEvent<Request>) => {
  const req = ev.data;
  if (req.type === "channel") {
    shared = sharedViews(req.buffer);
    return;
  }
  await ready;
  const t0 = performance.now();
  try {
    // An empty profile: the loaded configuration's own profile applies.
    const options = { profile: req.profile || undefined, config: req.config };
    let json: string;
    if (req.type === "check") {
      session ??= new Session();
      if (req.forget) session.forget();
      // Encoded here (natively) and passed as bytes: faster than passing the string.
      if (req.text !== undefined) session.setTextUtf8(encoder.encode(req.text));
      else if (req.changes) {
        // CodeMirror's ChangeSet.toJSON(), flattened: (0, n) keeps n units, (1, n) replaces
        // them with the next text.
        const ops: number[] = [];
        const texts: string[] = [];
        for (const c of req.changes) {
          if (typeof c === "number") ops.push(0, c);
          else {
            ops.push(1, c[0]);
            texts.push(c.slice(1).join("\n"));
          }
        }
        session.edit(new Uint32Array(ops), texts);
      }
      // A JSON string is much cheaper to build in wasm and to post than a tree of objects. It
      // says what changed since the last result: the new findings, and how the others moved
      // (crates/kube4c-wasm/src/delta.rs; the page reads it in checker.ts, readResult).
      json = session.check(options);
    } else if (req.format === "check") {
      json = checkJson(req.text, options);
    } else {
      json = exportReport(req.text, options, req.format, req.name ?? "manifest.yaml");
    }
    const t1 = performance.now();
    const o = performance.timeOrigin;
    // Only what the page reads there: a check of edits (a whole text's is not waited for).
    if (req.type === "check" && req.changes) share(req.id, json, t1 - t0, o + t0, o + t1);
    post({ type: "result", id: req.id, json, ms: t1 - t0, began: o + t0, ended: o + t1 });
  } catch (e) {
    // A trap (`unreachable`) leaves the module unusable: ask the page to start a new worker.
    if (e instanceof WebAssembly.RuntimeError) {
      post({ type: "crashed", message: String(e) });
    } else {
      post({ type: "failed", id: req.id, message: e instanceof Error ? e.message : String(e) });
    }
  }
};
