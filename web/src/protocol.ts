// Messages between the page and the checker worker.
import type { CheckResult, RuleInfo } from "../pkg/kube4c_wasm";

export type Profile = "all" | "pss-baseline" | "pss-restricted";

export interface CheckRequest {
  type: "check";
  id: number;
  text: string;
  profile: Profile;
}

export type WorkerMessage =
  | { type: "ready"; version: string; rules: RuleInfo[] }
  | { type: "result"; id: number; result: CheckResult; ms: number }
  | { type: "failed"; id: number; message: string }
  | { type: "crashed"; message: string };
