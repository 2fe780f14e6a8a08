// A small client for the worker: one request in flight per text, restart on crash.
import type { CheckResult, RuleInfo } from "../pkg/kube4c_wasm";
import type { CheckRequest, Profile, WorkerMessage } from "./protocol";

export interface CheckOutcome {
  result: CheckResult;
  ms: number;
}

type Pending = { resolve: (o: CheckOutcome) => void; reject: (e: Error) => void };

export class Checker {
  private worker!: Worker;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  rules: RuleInfo[] = [];
  version = "";
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
        this.rules = m.rules;
        this.version = m.version;
        this.markReady();
        break;
      case "result": {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve({ result: m.result, ms: m.ms });
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
  private crash(message: string) {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new Error(message));
    this.pending.clear();
    this.start();
    this.onCrash(message);
  }

  check(text: string, profile: Profile): Promise<CheckOutcome> {
    const id = this.nextId++;
    const req: CheckRequest = { type: "check", id, text, profile };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(req);
    });
  }
}
