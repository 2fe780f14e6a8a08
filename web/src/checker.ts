// A small client for the worker: one request in flight per text, restart on crash.
import type { Catalog, CheckResult } from "./generated/report";
import type { CheckRequest, Profile, WorkerMessage } from "./protocol";

export interface CheckOutcome {
  result: CheckResult;
  ms: number;
}

type Pending = { resolve: (o: CheckOutcome) => void; reject: (e: Error) => void };

/** A request replaced by a newer one before it was sent. */
export class Superseded extends Error {
  constructor() {
    super("superseded by a newer check");
  }
}

export class Checker {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  /** Layers, severities, profiles and rules, from the core. */
  catalog: Catalog = { version: "", layers: [], severities: [], profiles: [], rules: [] };
  ready: Promise<void>;
  private markReady!: () => void;
  onCrash: (message: string) => void = () => {};

  constructor(private readonly url: URL) {
    this.ready = new Promise((r) => (this.markReady = r));
    this.start();
  }

  private start() {
    this.worker = new Worker(this.url, { type: "module" });
    this.worker.onmessage = (ev: MessageEvent<WorkerMessage>) => this.receive(ev.data);
    this.worker.onerror = (ev) => this.crash(ev.message || "the checker worker failed");
  }

  private receive(m: WorkerMessage) {
    switch (m.type) {
      case "ready":
        this.catalog = m.catalog;
        this.markReady();
        break;
      case "result": {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve({ result: JSON.parse(m.json) as CheckResult, ms: m.ms });
        break;
      }
      case "failed": {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.reject(new Error(m.message));
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
    this.start();
    for (const p of failed) p.reject(new Error(message));
    this.onCrash(message);
  }

  /** Ask for a check. While one runs, only the newest request waits: an older waiting one is
   * rejected as superseded (its text is already out of date), so typing never queues work. */
  check(text: string, profile: Profile, config?: string): Promise<CheckOutcome> {
    return new Promise((resolve, reject) => {
      if (this.waiting) this.waiting.reject(new Superseded());
      this.waiting = { text, profile, config, resolve, reject };
      this.pump();
    });
  }

  private waiting: ({ text: string; profile: Profile; config?: string } & Pending) | null = null;

  private pump() {
    if (this.pending.size > 0 || !this.waiting) return;
    const w = this.waiting;
    this.waiting = null;
    const id = this.nextId++;
    const req: CheckRequest = { type: "check", id, text: w.text, profile: w.profile, config: w.config };
    this.pending.set(id, {
      resolve: (o) => {
        w.resolve(o);
        this.pump();
      },
      reject: (e) => {
        w.reject(e);
        this.pump();
      },
    });
    this.worker.postMessage(req);
  }
}
