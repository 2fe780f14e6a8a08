// Messages between the page and the checker worker.
import type { RuleInfo } from "../pkg/kube4c_wasm";

export type Profile = "all" | "pss-baseline" | "pss-restricted";

export interface CheckRequest {
  type: "check";
  id: number;
  text: string;
  profile: Profile;
}

export type WorkerMessage =
  | { type: "ready"; version: string; rules: RuleInfo[] }
  /** `json` is a serialized CheckResult. */
  | { type: "result"; id: number; json: string; ms: number }
  | { type: "failed"; id: number; message: string }
  | { type: "crashed"; message: string };
