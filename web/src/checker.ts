// A small client for the worker: one check in flight, only the newest waiting, restart on
// crash. The worker holds its own copy of the text: the first check (and the first after a
// restart) sends the whole text, later ones only the edits made since the last one sent.
import type { ChangeSet } from "@codemirror/state";
import type { Catalog, CheckResult } from "./generated/report";
import type { ChangesJson, CheckRequest, OnceRequest, Profile, WorkerMessage } from "./protocol";

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

/** Yield to the page: other tasks (input, painting) run before this continues. */
const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Read a result as the worker's Session sends it: the report without its findings, then its
 * findings in pages of 500, one JSON text per line. The pages are parsed one by one, yielding
 * to the page whenever 8 ms have passed, so a large result (11 MB for 15,901 findings) never
 * blocks the page in one long task; a small one is read at once.
 */
export async function parsePages(text: string): Promise<CheckResult> {
  const lines = text.split("\n");
  const result = JSON.parse(lines[0]) as CheckResult;
  const findings: CheckResult["findings"] = [];
  let since = performance.now();
  for (let i = 1; i < lines.length; i++) {
    if (performance.now() - since > 8) {
      await yieldToPage();
      since = performance.now();
    }
    for (const f of JSON.parse(lines[i]) as CheckResult["findings"]) findings.push(f);
  }
  result.findings = findings;
  return result;
}

export class Checker {
  private worker!: Worker;
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

  constructor(private readonly spawn: () => Worker) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.start();
  }

  private start() {
    this.worker = this.spawn();
    this.synced = false;
    this.unsent = null;
    this.worker.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
    this.worker.onerror = (ev) => this.crash(ev.message || "the checker worker failed");
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
        if (m.type === "result") p?.resolve({ json: m.json, ms: m.ms });
        else p?.reject(new Error(m.message));
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
        // The worker is free: the next check goes while this result is read.
        done();
        parsePages(json).then((result) => w.resolve({ result, ms }), w.reject);
      },
      reject: (e) => {
        // The worker's copy may not have taken the edits (or is gone): send it whole next time.
        this.synced = false;
        w.reject(e);
        done();
      },
    });
    this.worker.postMessage(req);
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
