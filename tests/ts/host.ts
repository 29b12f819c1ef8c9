// A host app as a front-end developer writes it against the installed package ("drawcheck", linked
// from www/ by package.json, resolved through its `exports` and `types`), type-checked with
// `tsc --strict --noEmit` (scripts/test). It does not run. Two uses: the typed API in the host's own
// page, and the bridge to the page embedded in an iframe (docs/embedding.md).
import {
  init, check, compilePack, recourse,
  type Profile, type Plan, type PlanStep, type BridgeReply, type ShowRequest, type DrawcheckGlobal,
} from "drawcheck";

const profile: Profile = {
  as_of: "2026-11-29T10:00:00+08:00",
  account: { status: "active", credit_limit: "15000.00", used: "8600.00" },
  credit: { overdue_days: 12, overdue_amount: "1234.50" },
};

export async function inOwnPage(wasmUrl: URL, packText: string, pinned: string): Promise<string> {
  await init(wasmUrl);
  const answer = recourse(profile, { locale: "en" });
  if (answer.type === "failure") return `${answer.error.line}:${answer.error.column} ${answer.error.message}`;
  const plan: Plan | null = answer.recourse;
  const steps: PlanStep[] = plan?.steps ?? [];
  const lines = steps.map((s) => `${s.action} ${s.amount ?? ""} → ${s.status_after} (${s.text.en}) lifts ${s.lifts.join(",")}`);
  const first = check(profile);
  if (first.type === "success" && first.verdict.recourse !== null) lines.push(first.verdict.recourse.earliest);

  const compiled = compilePack(packText, { sha256: pinned });
  if (compiled.type === "failure") return compiled.errors.map((e) => e.message).join("\n");
  const again = compiled.engine.recourse(JSON.stringify(profile));
  if (again.type === "success") lines.push(again.verdict.status, String(again.recourse?.cost ?? 0));
  compiled.engine.free();
  return lines.join("\n");
}

export function embedded(frame: HTMLIFrameElement, pageOrigin: string, onVerdict: (status: string, plan: Plan | null) => void): void {
  window.addEventListener("message", (e: MessageEvent<BridgeReply>) => {
    if (e.origin !== pageOrigin || e.source !== frame.contentWindow) return;
    const reply = e.data;
    switch (reply.type) {
      case "drawcheck:ready": {
        const request: ShowRequest = { type: "drawcheck:show", version: 1, id: 1, profile, locale: "en", sha256: reply.pack.sha256 };
        frame.contentWindow?.postMessage(request, pageOrigin);
        break;
      }
      case "drawcheck:verdict":
        onVerdict(reply.verdict.status, reply.verdict.recourse);
        break;
      case "drawcheck:error": {
        const where = reply.error.line > 0 ? ` at ${reply.error.line}:${reply.error.column}` : "";
        console.warn(reply.error.code, reply.error.message + where, reply.error.supported, reply.error.diagnostics?.length);
      }
    }
  });
}

// In a webview, the host calls the global with evaluateJavascript; its reply is the return value.
export function fromWebview(drawcheck: DrawcheckGlobal): boolean {
  const reply = drawcheck.show(profile, { locale: "zh-CN", id: "x" });
  return reply.type === "drawcheck:verdict" ? reply.verdict.status === "eligible" : reply.error.code !== "pin";
}
