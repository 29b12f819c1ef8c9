//! Small SVG charts, made with `createElementNS` (no framework). They carry no `style` attribute
//! (the page's CSP, `style-src 'self'`, forbids them): geometry is in SVG attributes, looks are
//! classes in www/studio/population.css. Each chart is `role="img"` with an `aria-label` that
//! says every figure it draws, and the panel shows the same figures in a table next to it.
//!
//! Lengths are drawn from `f64`s scaled to the chart's width; the figures a chart prints come in
//! as text, already formatted exactly (money never goes through a float here).

use web_sys::{Document, Element};

const SVG: &str = "http://www.w3.org/2000/svg";
/// The charts' coordinate width: about a phone's, so that text stays legible there (CSS scales a
/// chart to the panel's width, up to 1.33 times on a wide screen).
const WIDTH: f64 = 360.0;
/// Font sizes of figures and labels (as population.css sets them), for the room text needs.
const VALUE_PX: f64 = 11.0;
const LABEL_PX: f64 = 12.0;

/// About how wide `s` is at `px` (generously: a Latin character or digit 0.62 em, a CJK one 1 em).
fn text_w(s: &str, px: f64) -> f64 {
    s.chars().map(|c| if u32::from(c) >= 0x2E80 { px } else { px * 0.62 }).sum()
}

/// One labelled pair of figures: under the shipped pack and under the edited one.
pub struct Pair {
    pub label: String,
    pub before: f64,
    pub after: f64,
    pub before_text: String,
    pub after_text: String,
}

/// The words a chart says, in the studio's language.
#[derive(Clone, Copy)]
pub struct Words {
    /// Whether to draw the legend (two charts one above the other need one).
    pub legend: bool,
    pub shipped_pack: &'static str,
    pub edited_pack: &'static str,
    /// "shipped" and "edited", as the text alternative says them.
    pub shipped: &'static str,
    pub edited: &'static str,
}

/// One labelled signed figure (a change).
pub struct Change {
    pub label: String,
    pub value: f64,
    pub text: String,
}

/// Paired horizontal bars: for each label, a "shipped" bar above an "edited" bar, both scaled to
/// the largest figure, with a legend on top if asked. `title` names the chart for assistive technology.
pub fn paired_bars(doc: &Document, title: &str, rows: &[Pair], words: &Words) -> Option<Element> {
    const BAR: f64 = 11.0;
    const ROW: f64 = 2.0 * BAR + 12.0;
    let top = if words.legend { 22.0 } else { 4.0 };
    // Labels (short: statuses, "total") right-aligned left of the bars.
    let label_w = 10.0 + rows.iter().map(|r| text_w(&r.label, LABEL_PX)).fold(0.0, f64::max);
    let height = top + ROW * rows.len() as f64 + 4.0;
    let svg = chart(doc, "pop-chart pop-paired", height)?;
    let max = rows.iter().map(|r| r.before.max(r.after)).fold(0.0, f64::max);
    // Room right of the longest bar for the longest figure.
    let longest = rows.iter().map(|r| text_w(&r.before_text, VALUE_PX).max(text_w(&r.after_text, VALUE_PX)));
    let span = WIDTH - label_w - 8.0 - longest.fold(0.0, f64::max);
    let scale = |v: f64| if max > 0.0 { (v / max * span).max(if v > 0.0 { 1.0 } else { 0.0 }) } else { 0.0 };
    if words.legend {
        legend(doc, &svg, label_w, words)?;
    }
    let mut said = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        let y = top + ROW * k as f64;
        text(doc, &svg, "pop-label", label_w - 8.0, y + BAR + 3.0, "end", &r.label)?;
        for (i, (v, t, class)) in
            [(r.before, &r.before_text, "pop-before"), (r.after, &r.after_text, "pop-after")].into_iter().enumerate()
        {
            let yy = y + i as f64 * BAR;
            let w = scale(v);
            rect(doc, &svg, class, label_w, yy, w, BAR - 1.0)?;
            text(doc, &svg, "pop-value", label_w + w + 4.0, yy + BAR - 2.0, "start", t)?;
        }
        said.push(format!("{}: {} {}, {} {}", r.label, words.shipped, r.before_text, words.edited, r.after_text));
    }
    svg.set_attribute("aria-label", &format!("{title}. {}", said.join("; "))).ok()?;
    Some(svg)
}

/// Diverging bars around a zero line: fewer to the left, more to the right; each label (a rule id,
/// often long) on its own line above its bar.
pub fn change_bars(doc: &Document, title: &str, rows: &[Change]) -> Option<Element> {
    const BAR: f64 = 12.0;
    const LABEL: f64 = 14.0;
    const ROW: f64 = LABEL + BAR + 8.0;
    let top = 2.0;
    let height = top + ROW * rows.len() as f64 + 4.0;
    let svg = chart(doc, "pop-chart pop-changes", height)?;
    let max = rows.iter().map(|r| r.value.abs()).fold(0.0, f64::max);
    // Half of the bar area on each side of zero, with room for figures on both ends.
    let room = 8.0 + rows.iter().map(|r| text_w(&r.text, VALUE_PX)).fold(0.0, f64::max);
    let half = (WIDTH - 2.0 * room) / 2.0;
    let zero = room + half;
    let scale = |v: f64| if max > 0.0 { (v.abs() / max * half).max(1.0) } else { 0.0 };
    let mut said = Vec::new();
    for (k, r) in rows.iter().enumerate() {
        text(doc, &svg, "pop-label", zero, top + ROW * k as f64 + LABEL - 3.0, "middle", &r.label)?;
        let y = top + ROW * k as f64 + LABEL;
        let w = scale(r.value);
        if r.value < 0.0 {
            rect(doc, &svg, "pop-less", zero - w, y, w, BAR)?;
            text(doc, &svg, "pop-value", zero - w - 4.0, y + BAR - 3.0, "end", &r.text)?;
        } else {
            rect(doc, &svg, "pop-more", zero, y, w, BAR)?;
            text(doc, &svg, "pop-value", zero + w + 4.0, y + BAR - 3.0, "start", &r.text)?;
        }
        said.push(format!("{} {}", r.label, r.text));
    }
    let axis = el(doc, &svg, "line", "pop-axis")?;
    for (name, v) in [("x1", zero), ("x2", zero), ("y1", 0.0), ("y2", height)] {
        axis.set_attribute(name, &num(v)).ok()?;
    }
    svg.set_attribute("aria-label", &format!("{title}. {}", said.join("; "))).ok()?;
    Some(svg)
}

fn chart(doc: &Document, class: &str, height: f64) -> Option<Element> {
    let svg = doc.create_element_ns(Some(SVG), "svg").ok()?;
    svg.set_attribute("viewBox", &format!("0 0 {} {}", num(WIDTH), num(height))).ok()?;
    svg.set_attribute("class", class).ok()?;
    svg.set_attribute("role", "img").ok()?;
    Some(svg)
}

/// "▮ shipped ▮ edited" above paired bars.
fn legend(doc: &Document, svg: &Element, left: f64, words: &Words) -> Option<()> {
    let mut x = left;
    for (class, label) in [("pop-before", words.shipped_pack), ("pop-after", words.edited_pack)] {
        rect(doc, svg, class, x, 5.0, 10.0, 10.0)?;
        text(doc, svg, "pop-legend", x + 14.0, 14.0, "start", label)?;
        x += 30.0 + text_w(label, VALUE_PX);
    }
    Some(())
}

fn el(doc: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let e = doc.create_element_ns(Some(SVG), tag).ok()?;
    e.set_attribute("class", class).ok()?;
    parent.append_child(&e).ok()?;
    Some(e)
}

fn rect(doc: &Document, parent: &Element, class: &str, x: f64, y: f64, w: f64, h: f64) -> Option<Element> {
    let r = el(doc, parent, "rect", class)?;
    for (name, v) in [("x", x), ("y", y), ("width", w), ("height", h)] {
        r.set_attribute(name, &num(v)).ok()?;
    }
    Some(r)
}

fn text(doc: &Document, parent: &Element, class: &str, x: f64, y: f64, anchor: &str, s: &str) -> Option<Element> {
    let t = el(doc, parent, "text", class)?;
    t.set_attribute("x", &num(x)).ok()?;
    t.set_attribute("y", &num(y)).ok()?;
    t.set_attribute("text-anchor", anchor).ok()?;
    t.set_text_content(Some(s));
    Some(t)
}

/// A coordinate with one decimal (short attributes).
fn num(v: f64) -> String {
    format!("{:.1}", v)
}
