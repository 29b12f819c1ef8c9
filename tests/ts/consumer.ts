// A host app's use of drawcheck's API, type-checked with `tsc --strict --noEmit` (scripts/test).
// It does not run: it proves the declarations say what a consumer needs, and that the generated
// raw bindings (www/pkg/drawcheck.d.ts) still match what www/api.js calls.
import { init, check, compilePack, explain, defaultPackText, type Profile, type Verdict, type Reason, type Step } from "../../www/api.js";
import { Engine as RawEngine } from "../../www/pkg/drawcheck.js";

async function main(): Promise<void> {
  await init();
  const profile: Profile = {
    as_of: "2026-11-29T10:00:00+08:00",
    account: { status: "active", credit_limit: "20000.00", used: 3500 },
    credit: { overdue_days: 3, overdue_amount: "320.50", last_overdue_cleared_at: null },
  };
  const answer = check(profile, { locale: "en" });
  if (answer.type === "failure") {
    const where: string = `${answer.error.line}:${answer.error.column}`;
    console.log(answer.error.message, where);
    return;
  }
  const verdict: Verdict = answer.verdict;
  const principal: Reason[] = verdict.reasons.filter((r) => r.principal);
  for (const reason of principal) {
    const until: string | null = reason.until;
    const steps: Step[] = reason.steps;
    console.log(reason.rule, reason.effect, reason.scope, until, steps.map((s) => s.action + (s.amount ?? "")));
  }
  const status: "eligible" | "limited" | "paused" | "blocked" | "frozen" | "incomplete" = verdict.status;
  console.log(status, verdict.available, verdict.effective_limit, verdict.missing, verdict.pack.sha256);

  const compiled = compilePack(defaultPackText().replace("dti_max = 0.5", "dti_max = 0.45"));
  if (compiled.type === "success") {
    const again = compiled.engine.check(JSON.stringify(profile));
    const trace = compiled.engine.explain(profile);
    if (trace.type === "success") console.log(trace.text, trace.verdict.trace?.length);
    console.log(again.type, compiled.pack.sha256, compiled.warnings.length);
    compiled.engine.free();
  } else {
    for (const d of compiled.errors) console.log(`${d.line}:${d.column} ${d.severity} ${d.message} ${d.hint ?? ""}`);
  }
  const raw: RawEngine = RawEngine.withDefaultPack();
  const report: string = raw.report();
  console.log(report, explain(profile).type);
}

void main();
