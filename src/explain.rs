//! A verdict and its trace as plain text: what `drawcheck explain` prints and the studio shows.

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
