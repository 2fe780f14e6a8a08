// A small client for the worker: one check in flight, only the newest waiting, restart on
// crash. The worker holds its own copy of the text: the first check (and the first after a
// restart) sends the whole text, later ones only the edits made since the last one sent.
import type { ChangeSet } from "@codemirror/state";
import type { Catalog, CheckResult, FindingOut as Finding, Location } from "./generated/report";
import { type ChangesJson, type ChannelRequest, type CheckRequest, type OnceRequest, type Profile, type SharedViews, type WorkerMessage, SHARED_BYTES, SHARED_HEAD, sharedViews } from "./protocol";

export interface CheckOutcome {
  result: CheckResult;
  ms: number;
}

type Pending = { resolve: (o: { json: string; ms: number }) => void; reject: (e: Error) => void };

/** A request replaced by a newer one before it was sent. */
export class Superseded extends Error {
  constructor() {
    super("superseded by a newer check");
  }
}

interface Waiting {
  text: () => string;
  profile: Profile;
  config?: string;
  resolve: (o: CheckOutcome) => void;
  reject: (e: Error) => void;
}

const decoder = new TextDecoder();

/** Yield to the page: other tasks (input, painting) run before this continues. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** The last result of the worker's Session, as the page holds it: the next is a change to it. */
export interface Held {
  gen: number;
  findings: Finding[];
}

/** The head of a result (see crates/kube4c-wasm/src/delta.rs). */
interface DeltaHead {
  gen: number;
  /** The result this one changes, or null: every finding is sent. */
  base: number | null;
  old: number;
  prefix: number;
  suffix: number;
  /** `[n, Δline, Δcolumn, ΔendLine, ΔendColumn, Δstart, Δend, Δfrom, Δto]`: how the next n
   * places of the kept findings moved. */
  moves: number[][];
}

/** A result that changes another than the one held. */
export class Unrelated extends Error {
  constructor() {
    super("a change to another result than the one held");
  }
}

/** Every place of a finding, in the core's `FindingOut::places` order. */
function* places(f: Finding): Generator<Location> {
  yield f;
  yield* f.related;
  if (f.fix) yield* f.fix.edits;
  if (f.suppressed) yield f.suppressed;
}

/**
 * Read a result as the worker's Session sends it: a head saying which findings of the last
 * result are kept and how they moved, the report without its findings, then the new findings
 * in pages of 500, one JSON text per line. A keystroke sends the findings of what it changed,
 * not all of them again. The pages are parsed one by one, yielding to the page whenever 8 ms
 * have passed, so a large result (11 MB for 15,901 findings) never blocks the page in one long
 * task. The kept findings are moved in place, in one go at the end (the last result's objects:
 * it is replaced by this one).
 */
export async function readResult(text: string, held: Held | null): Promise<{ result: CheckResult; held: Held }> {
  const lines = text.split("\n");
  const head = JSON.parse(lines[0]) as DeltaHead;
  if (head.base !== null && (held === null || held.gen !== head.base || held.findings.length !== head.old)) {
    throw new Unrelated();
  }
  const result = JSON.parse(lines[1]) as CheckResult;
  const added: Finding[] = [];
  let since = performance.now();
  for (let i = 2; i < lines.length; i++) {
    if (performance.now() - since > 8) {
      await yieldToPage();
      since = performance.now();
    }
    for (const f of JSON.parse(lines[i]) as Finding[]) added.push(f);
  }
  let findings = added;
  if (head.base !== null && held) {
    const old = held.findings;
    const kept = old.slice(0, head.prefix).concat(old.slice(old.length - head.suffix));
    let run = -1;
    let left = 0;
    let d: number[] = [];
    for (const f of kept) {
      for (const p of places(f)) {
        while (left === 0) {
          d = head.moves[++run];
          if (!d) throw new Unrelated();
          left = d[0];
        }
        left--;
        if (d[1]) p.line += d[1];
        if (d[2]) p.column += d[2];
        if (d[3]) p.endLine += d[3];
        if (d[4]) p.endColumn += d[4];
        if (d[5]) p.start += d[5];
        if (d[6]) p.end += d[6];
        if (d[7]) p.from += d[7];
        if (d[8]) p.to += d[8];
      }
    }
    findings = kept.slice(0, head.prefix).concat(added, kept.slice(head.prefix));
  }
  result.findings = findings;
  return { result, held: { gen: head.gen, findings } };
}

/** How long the keystroke's frame waits for a result still being computed, at most (ms). */
const FRAME_WAIT = 4;

export class Checker {
  private worker!: Worker;
  /** The result channel shared with the worker, if this page may share memory. */
  private shared: SharedViews | null = null;
  /** Whether the result being delivered was read in an animation frame, before its paint. */
  inFrame = false;
  /** Results read from shared memory in a frame so far (read by tests). */
  framed = 0;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Whether a check is in flight (exports do not hold checks back). */
  private checking = false;
  /** Edits not yet sent; `null` with `synced` false means the worker needs the whole text. */
  private unsent: ChangeSet | null = null;
  private synced = false;
  /** Layers, severities, profiles and rules, from the core. */
  catalog: Catalog = { version: "", layers: [], severities: [], profiles: [], rules: [] };
  ready: Promise<void>;
  private markReady!: () => void;
  onCrash: (message: string) => void = () => {};
  /** Characters posted to the worker so far (read by tests: edits, not whole texts). */
  posted = 0;
  /** Characters of the results of checks received so far (read by tests: changes, not whole
   * results). */
  received = 0;
  /** Where the time of the last check went, in the page's `performance.now()` (read by the
   * browser benchmark): posted, taken by the worker, posted back, received, read. */
  timing = { posted: 0, began: 0, ended: 0, received: 0, read: 0 };
  /** The last result read, which the worker's next result changes. */
  private held: Held | null = null;
  /** Results are read in the order they came, each after the one it changes. */
  private reading: Promise<unknown> = Promise.resolve();
  /** The worker is to send every finding with its next result (what was held is lost). */
  private forget = false;

  constructor(private readonly spawn: () => Worker) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.start();
  }

  private start() {
    this.worker = this.spawn();
    this.synced = false;
    this.unsent = null;
    // A new worker's Session has sent nothing yet.
    this.held = null;
    this.forget = false;
    this.worker.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
    this.worker.onerror = (ev) => this.crash(ev.message || "the checker worker failed");
    this.shared = null;
    this.slot = null;
    if (globalThis.crossOriginIsolated && typeof SharedArrayBuffer === "function") {
      const buffer = new SharedArrayBuffer(SHARED_HEAD + SHARED_BYTES);
      this.shared = sharedViews(buffer);
      this.worker.postMessage({ type: "channel", buffer } satisfies ChannelRequest);
    }
  }

  /** The animation frame asked for at a key, before the editor's (see `expectEdit`), and the
   * check it is to take, once one is posted. */
  private slot: { id: number } | null = null;

  /**
   * A key went down in the editor: the edit it makes, if any, is about to be posted. Ask for
   * the keystroke's frame now, so that its result is taken first in that frame, before the
   * editor's own measuring (which the editor asks for while it handles the key, before the
   * edit is made): the editor then lays out the text once, with the underlines in it, instead
   * of twice. A key that edits nothing leaves an empty callback.
   */
  expectEdit() {
    const sh = this.shared;
    if (!sh || this.slot) return;
    const slot = { id: 0 };
    this.slot = slot;
    requestAnimationFrame(() => {
      if (this.slot === slot) this.slot = null;
      if (slot.id) this.take(sh, slot.id);
    });
  }

  /**
   * In the next frame (the keystroke's, for an edit), take check `id`'s result from shared
   * memory if the worker put it there, waiting up to FRAME_WAIT ms for it. The channel exists
   * when the page is cross-origin isolated (served by serve.mjs).
   *
   * Why: after a key, Chromium holds every task the page did not ask for itself (the worker's
   * message among them) until the key's frame is painted (its DeferRendererTasksAfterInput, on
   * by default). A result posted back is therefore painted one frame after the keystroke, at
   * best. Read from shared memory at the start of the keystroke's own frame, it is painted in
   * that frame. The message still comes, and is ignored when the result was read already.
   */
  private takeInFrame(id: number) {
    const sh = this.shared;
    if (!sh) return;
    if (this.slot) this.slot.id = id;
    else requestAnimationFrame(() => this.take(sh, id));
  }

  private take(sh: SharedViews, id: number) {
    if (this.shared !== sh || !this.pending.has(id)) return;
    const until = performance.now() + FRAME_WAIT;
    while (Atomics.load(sh.ints, 0) !== id && performance.now() < until) {
      // The worker is a few milliseconds from done: waiting here paints the result in this
      // frame instead of the next (Atomics.wait is not allowed on the main thread).
    }
    if (Atomics.load(sh.ints, 0) !== id) return;
    const json = decoder.decode(sh.bytes.slice(0, Atomics.load(sh.ints, 1)));
    const [ms, began, ended] = sh.floats;
    this.inFrame = true;
    this.framed++;
    // Cleared after this frame: a timer cannot run before the frame's task ends.
    setTimeout(() => (this.inFrame = false), 0);
    this.receive({ type: "result", id, json, ms, began, ended });
  }

  private receive(m: WorkerMessage) {
    switch (m.type) {
      case "ready":
        this.catalog = m.catalog;
        this.markReady();
        break;
      case "result":
      case "failed": {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        // (The message of a result already read from shared memory finds nothing pending.)
        if (!p) break;
        if (m.type === "result") {
          const o = performance.timeOrigin;
          Object.assign(this.timing, { began: m.began - o, ended: m.ended - o, received: performance.now() });
          p.resolve({ json: m.json, ms: m.ms });
        } else p.reject(new Error(m.message));
        break;
      }
      case "crashed":
        this.crash(m.message);
        break;
    }
  }

  /** The worker died: fail what was pending, start a fresh one, tell the page. */
  crash(message: string) {
    this.worker.terminate();
    const failed = [...this.pending.values()];
    this.pending.clear();
    this.checking = false;
    this.start();
    for (const p of failed) p.reject(new Error(message));
    this.onCrash(message);
    this.pump();
  }

  /** Record the editor's edits: they go to the worker with the next check. */
  edit(changes: ChangeSet) {
    if (!this.synced) return;
    this.unsent = this.unsent ? this.unsent.compose(changes) : changes;
  }

  /** Ask for a check of the current text (`text` is read only if the worker needs it whole).
   * While one runs, only the newest request waits: an older waiting one is rejected as
   * superseded (its text is already out of date), so typing never queues work. */
  check(text: () => string, profile: Profile, config?: string): Promise<CheckOutcome> {
    return new Promise((resolve, reject) => {
      if (this.waiting) this.waiting.reject(new Superseded());
      this.waiting = { text, profile, config, resolve, reject };
      this.pump();
    });
  }

  private waiting: Waiting | null = null;

  private pump() {
    if (this.checking || !this.waiting) return;
    const w = this.waiting;
    this.waiting = null;
    const req: CheckRequest = { type: "check", id: this.nextId++, profile: w.profile, config: w.config };
    if (this.forget) {
      req.forget = true;
      this.forget = false;
      this.held = null;
    }
    // Edits that insert much (a paste, a replaced text) go as the whole text: one string
    // crosses postMessage far faster than an array of its lines.
    let inserted = 0;
    this.unsent?.iterChanges((_fa, _ta, _fb, _tb, ins) => (inserted += ins.length));
    if (!this.synced || inserted > 65536) {
      req.text = w.text();
      this.posted += req.text.length;
    } else if (this.unsent) {
      req.changes = this.unsent.toJSON() as ChangesJson;
      this.posted += inserted + 16 * req.changes.length;
    }
    this.synced = true;
    this.unsent = null;
    this.checking = true;
    const done = () => {
      this.checking = false;
      this.pump();
    };
    this.pending.set(req.id, {
      resolve: ({ json, ms }) => {
        this.received += json.length;
        const worker = this.worker;
        this.reading = this.reading.then(() =>
          readResult(json, this.held).then(
            ({ result, held }) => {
              if (this.worker !== worker) return w.reject(new Error("the checker was restarted"));
              this.held = held;
              this.timing.read = performance.now();
              w.resolve({ result, ms });
            },
            (e: unknown) => {
              // What this page holds is not what the worker changed (or the result did not
              // read): ask again, for every finding.
              this.forget = true;
              if (!(e instanceof Unrelated)) w.reject(e instanceof Error ? e : new Error(String(e)));
              else if (this.waiting) w.reject(new Superseded());
              else {
                this.waiting = w;
                this.pump();
              }
            },
          ),
        );
        // The worker is free: the next check goes while this result is read.
        done();
      },
      reject: (e) => {
        // The worker's copy may not have taken the edits (or is gone): send it whole next time.
        this.synced = false;
        w.reject(e);
        done();
      },
    });
    this.timing.posted = performance.now();
    this.worker.postMessage(req);
    if (req.changes) this.takeInFrame(req.id);
  }

  /** Check or export a given text once, beside the checks of the editor's text. */
  once(req: Omit<OnceRequest, "type" | "id">): Promise<{ json: string; ms: number }> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, type: "once", id } satisfies OnceRequest);
    });
  }

  /** A one-off check of a text (benchmarks, tests). */
  async checkText(text: string, profile: Profile, config?: string): Promise<CheckOutcome> {
    const { json, ms } = await this.once({ text, profile, config, format: "check" });
    return { result: JSON.parse(json) as CheckResult, ms };
  }
}
