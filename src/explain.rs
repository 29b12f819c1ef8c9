//! A verdict and its trace as plain text: what `drawcheck explain` prints and the studio shows.

use crate::i18n::Locale;
use crate::pack::Pack;
use crate::verdict::{RuleTrace, Verdict};

/// The verdict, and the trace if it has one, as plain text.
pub fn text(pack: &Pack, v: &Verdict) -> String {
    let mut out = String::new();
    let push = |out: &mut String, line: String| {
        out.push_str(&line);
        out.push('\n');
    };
    push(
        &mut out,
        format!(
            "pack {} {} (sha256 {}…), as of {}, locale {}",
            pack.id,
            pack.version,
            v.pack.sha256.get(..12).unwrap_or(""),
            v.as_of,
            v.locale
        ),
    );
    push(
        &mut out,
        format!(
            "status: {}   available: {}   effective limit: {}",
            v.status.name(),
            v.available.plain(),
            v.effective_limit.plain()
        ),
    );
    if v.reasons.is_empty() {
        push(&mut out, "no rule restricts drawing".into());
    }
    for (i, r) in v.reasons.iter().enumerate() {
        let effect =
            serde_json::to_value(r.effect).ok().and_then(|x| x.as_str().map(str::to_string)).unwrap_or_default();
        let marker = if r.principal { "" } else { " (more)" };
        push(&mut out, String::new());
        push(&mut out, format!("{}. {} — {effect}, {}{marker}", i + 1, r.title, r.rule));
        push(&mut out, format!("   {}", r.detail));
        if let Some(until) = &r.until {
            push(&mut out, format!("   until {until}"));
        }
        for s in &r.steps {
            push(&mut out, format!("   → [{}] {}", s.action.name(), s.text));
        }
    }
    if !v.missing.is_empty() {
        push(&mut out, String::new());
        push(&mut out, format!("missing: {}", v.missing.join(", ")));
    }
    for u in &v.undetermined {
        push(&mut out, format!("undetermined: {} ({})", u.rule, u.why));
    }
    if let Some(traces) = &v.trace {
        push(&mut out, String::new());
        push(&mut out, "how each rule was decided:".to_string());
        for t in traces {
            trace_lines(&mut out, t);
        }
    }
    out
}

fn trace_lines(out: &mut String, t: &RuleTrace) {
    out.push_str(&format!("  {:<24} {}\n", t.rule, t.result));
    if t.result == "not fired" {
        // A rule that did not fire: its top comparison and the figures it read tell why.
        for n in t.nodes.iter().filter(|n| n.depth <= 1) {
            out.push_str(&format!("      {}{} = {}\n", "  ".repeat(n.depth), n.text, n.value));
        }
        return;
    }
    for n in &t.nodes {
        out.push_str(&format!("    {}{} = {}\n", "  ".repeat(n.depth), n.text, n.value));
    }
}

/// The verdict's path back to drawing, as plain text in `locale`.
pub fn plan_text(v: &Verdict, locale: Locale) -> String {
    let zh = locale == Locale::ZhCn;
    let Some(plan) = &v.recourse else {
        return if zh {
            "现在即可借款，无需任何操作。\n".into()
        } else {
            "You can draw now; nothing to do.\n".into()
        };
    };
    let mut out = String::new();
    let head = if zh { "恢复借款的路径" } else { "Path to drawing again" };
    out.push_str(&format!(
        "{head}: {} → {}, available {} (effective limit {}), by {}, cost {}\n",
        v.status.name(),
        plan.reachable.name(),
        plan.available_after.plain(),
        plan.effective_limit_after.plain(),
        plan.earliest,
        plan.cost
    ));
    if plan.steps.is_empty() && plan.fixed.is_empty() {
        out.push_str(if zh { "  没有可以做的步骤。\n" } else { "  no step helps.\n" });
    }
    for (i, s) in plan.steps.iter().enumerate() {
        let text = if zh { &s.text.zh_cn } else { &s.text.en };
        out.push_str(&format!(
            "  {}. [{}] {text}  → {}, available {}{}\n",
            i + 1,
            s.action.name(),
            s.status_after.name(),
            s.available_after.plain(),
            if s.lifts.is_empty() { String::new() } else { format!(" (lifts {})", s.lifts.join(", ")) }
        ));
    }
    for f in &plan.fixed {
        let what = if zh { "你的操作无法解除" } else { "nothing you change lifts" };
        out.push_str(&format!("  {what}: {}\n", f.rule));
        for step in &f.route {
            out.push_str(&format!("    → [{}] {}\n", step.action.name(), step.text));
        }
    }
    out
}
