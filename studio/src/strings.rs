//! The studio's own words (its "chrome"), in zh-CN and en. Rule texts come from the packs and are
//! evaluated in the chosen language; everything else a product team reads here is in this file.

use drawcheck::pack::Effect;
use drawcheck::web::shown::effect;
pub use drawcheck::web::shown::status;
use drawcheck::{Locale, Status};

/// Every chrome text of the studio, in one language.
pub struct Ui {
    /// `<html lang>`.
    pub tag: &'static str,
    /// `<title>` and the heading.
    pub title: &'static str,
    /// One line under the heading.
    pub tagline: &'static str,
    /// The language switch: the other language's name, in that language, and its tag.
    pub switch_to: &'static str,
    /// The other language's tag.
    pub switch_tag: &'static str,
    /// The switch's description for assistive technology.
    pub switch_hint: &'static str,

    /// The editor's heading.
    pub pack_h: &'static str,
    /// The text area's label.
    pub pack_text: &'static str,
    /// Keyboard help under the editor.
    pub pack_help: &'static str,
    /// Buttons: reset, load, download.
    pub reset: &'static str,
    /// Load a pack from a file.
    pub load: &'static str,
    /// Download the edited pack.
    pub download: &'static str,
    /// The edited-vs-shipped indicator: same, edited.
    pub same: &'static str,
    /// The pack text differs from the shipped one.
    pub edited: &'static str,
    /// Pack facts: id, version, sha256.
    pub id: &'static str,
    /// Version label.
    pub version: &'static str,
    /// Hash label.
    pub sha: &'static str,
    /// The full hash's tooltip prefix.
    pub sha_full: &'static str,
    /// The button that copies the full hash.
    pub copy: &'static str,
    /// After a label: "：" or ": ".
    pub colon: &'static str,
    /// Shown for id/version/hash while the edited pack does not compile.
    pub not_compiled_meta: &'static str,
    /// Problems heading.
    pub problems: &'static str,
    /// No problem.
    pub no_problems: &'static str,
    /// Severity words: error, warning.
    pub severity: [&'static str; 2],
    /// Before a hint.
    pub hint: &'static str,
    /// After a file was loaded: before its name.
    pub loaded: &'static str,
    /// A file that could not be read.
    pub load_failed: &'static str,

    /// The profile's heading.
    pub profile_h: &'static str,
    /// Persona picker label.
    pub persona: &'static str,
    /// The picker's entry for a profile that is none of the personas.
    pub custom: &'static str,
    /// The evaluation instant's label.
    pub as_of: &'static str,
    /// Its hint.
    pub as_of_hint: &'static str,
    /// The JSON area's label.
    pub profile_json: &'static str,
    /// Before a profile error.
    pub profile_error: &'static str,
    /// "line", "column" (for errors with a position).
    pub line_col: [&'static str; 2],

    /// The comparison's heading.
    pub compare_h: &'static str,
    /// Column headings: shipped, edited.
    pub shipped: &'static str,
    /// The edited pack's column heading.
    pub edited_col: &'static str,
    /// "What changed" heading.
    pub changes_h: &'static str,
    /// No difference for this profile.
    pub no_change: &'static str,
    /// Change labels: status, available, limit, reason added, removed, changed.
    pub change: [&'static str; 6],
    /// A reason's label in a column: added, removed, changed.
    pub mark: [&'static str; 3],
    /// The edited pack does not compile: pieces around the count.
    pub broken: [&'static str; 2],
    /// The button that goes to the first problem.
    pub go_first: &'static str,
    /// The profile cannot be read against this pack.
    pub unreadable: &'static str,
    /// "Available now", "Effective limit".
    pub available: &'static str,
    /// The effective limit.
    pub limit: &'static str,
    /// Reasons heading.
    pub reasons: &'static str,
    /// When nothing restricts drawing.
    pub nothing: &'static str,
    /// Steps label.
    pub steps: &'static str,
    /// Missing facts label.
    pub missing: &'static str,
    /// Ends at (a reason's until).
    pub until: &'static str,
    /// The recourse summary: pieces around status, amount, date and the number of steps.
    pub path: [&'static str; 5],
    /// The last piece of `path` when the plan has one step.
    pub path_one: &'static str,
    /// Under a pack's trace when no rule fired.
    pub none_fired: &'static str,

    /// The trace heading and its explanation.
    pub trace_h: &'static str,
    /// Under the trace heading.
    pub trace_help: &'static str,
    /// Rule results: fired, not fired, undetermined.
    pub result: [&'static str; 3],
    /// "N rules did not fire" pieces.
    pub not_fired_n: [&'static str; 2],
    /// A rule that fires under one pack only: only edited, only shipped.
    pub only: [&'static str; 2],
    /// Status words, by `status`.
    pub status: [&'static str; 6],
    /// Effect words, by `effect`.
    pub effect: [&'static str; 5],
    /// Persona names, in `PERSONAS` order.
    pub personas: [&'static str; 13],
}

static ZH: Ui = Ui {
    tag: "zh-CN",
    title: "drawcheck 规则工作室",
    tagline: "编辑规则包，对比同一位借款人在发布版和编辑版下的结论——全部在本机完成。",
    switch_to: "English",
    switch_tag: "en",
    switch_hint: "切换语言",
    pack_h: "规则包",
    pack_text: "规则包文本（TOML）",
    pack_help: "输入后约 0.15 秒检查一次。Tab 键离开编辑框；点问题可跳到出错位置。",
    reset: "恢复发布版",
    load: "从文件载入…",
    download: "下载编辑版",
    same: "与发布版相同",
    edited: "已编辑",
    id: "编号",
    version: "版本",
    sha: "sha256",
    sha_full: "完整 sha256：",
    copy: "复制",
    colon: "：",
    not_compiled_meta: "无法编译",
    problems: "问题",
    no_problems: "没有问题",
    severity: ["错误", "警告"],
    hint: "提示：",
    loaded: "已载入：",
    load_failed: "无法读取该文件。",
    profile_h: "借款人资料",
    persona: "示例借款人",
    custom: "自定义",
    as_of: "评估时间（as_of）",
    as_of_hint: "例如 2026-11-29T10:00:00+08:00",
    profile_json: "资料（JSON）",
    profile_error: "资料有误：",
    line_col: ["第 ", " 行，第 "],
    compare_h: "结论对比",
    shipped: "发布版规则包",
    edited_col: "编辑版规则包",
    changes_h: "变化",
    no_change: "对这位借款人，两个规则包的结论相同。",
    change: ["状态改变", "可借金额改变", "有效额度改变", "新增原因", "原因消失", "原因内容改变"],
    mark: ["新增", "已消失", "有改变"],
    broken: ["编辑版规则包无法编译（", " 个错误），见编辑器下方的问题列表。"],
    go_first: "跳到第一个问题",
    unreadable: "按这个规则包无法读取资料：",
    available: "现在可借",
    limit: "有效额度",
    reasons: "原因",
    nothing: "没有限制借款的规则。",
    steps: "可以这样做",
    missing: "缺少的信息",
    until: "结束于 ",
    path: ["恢复路径：可达到「", "」，可借 ", "，最早 ", "，共 ", " 步"],
    path_one: " 步",
    none_fired: "没有规则触发。",
    trace_h: "规则是怎样判定的",
    trace_help: "每条触发的规则：它的条件、每个比较的结果，以及读到的数值。",
    result: ["已触发", "未触发", "无法判定"],
    not_fired_n: ["", " 条规则未触发"],
    only: ["仅在编辑版触发", "仅在发布版触发"],
    status: ["可以借款", "可以借款，但有限制", "暂停借款", "暂时不能借款", "账户已冻结", "信息不全，无法判断"],
    effect: ["冻结账户", "禁止借款", "暂停借款", "下调额度", "限制单笔"],
    personas: [
        "正常",
        "逾期",
        "登录锁定",
        "夜间维护",
        "新设备",
        "收入未核实",
        "C 类客群",
        "已冻结",
        "多个原因",
        "缺少收入信息",
        "负债收入比高",
        "严重逾期",
        "监管上限",
    ],
};

static EN: Ui = Ui {
    tag: "en",
    title: "drawcheck studio",
    tagline: "Edit the rule pack and compare a borrower's verdict under the shipped and the edited pack — all on this device.",
    switch_to: "中文",
    switch_tag: "zh-CN",
    switch_hint: "Switch language",
    pack_h: "Rule pack",
    pack_text: "Rule pack text (TOML)",
    pack_help: "Checked about 0.15 s after you type. Tab leaves the editor; choose a problem to jump to it.",
    reset: "Reset to shipped",
    load: "Load from file…",
    download: "Download edited",
    same: "Same as shipped",
    edited: "Edited",
    id: "id",
    version: "version",
    sha: "sha256",
    sha_full: "Full sha256: ",
    copy: "Copy",
    colon: ": ",
    not_compiled_meta: "does not compile",
    problems: "Problems",
    no_problems: "No problems",
    severity: ["error", "warning"],
    hint: "hint: ",
    loaded: "Loaded: ",
    load_failed: "The file could not be read.",
    profile_h: "Borrower profile",
    persona: "Example borrower",
    custom: "Custom",
    as_of: "Evaluated at (as_of)",
    as_of_hint: "e.g. 2026-11-29T10:00:00+08:00",
    profile_json: "Profile (JSON)",
    profile_error: "The profile has an error: ",
    line_col: ["line ", ", column "],
    compare_h: "Verdicts side by side",
    shipped: "Shipped pack",
    edited_col: "Edited pack",
    changes_h: "What changed",
    no_change: "Both packs give this borrower the same verdict.",
    change: [
        "Status changed",
        "Available amount changed",
        "Effective limit changed",
        "Reason added",
        "Reason removed",
        "Reason changed",
    ],
    mark: ["added", "removed", "changed"],
    broken: ["The edited pack does not compile (", " errors); see the problems under the editor."],
    go_first: "Go to the first problem",
    unreadable: "The profile cannot be read with this pack: ",
    available: "Available now",
    limit: "Effective limit",
    reasons: "Reasons",
    nothing: "No rule restricts drawing.",
    steps: "What the borrower can do",
    missing: "Missing facts",
    until: "Ends ",
    path: ["Path back: reaches “", "”, ", " available, by ", ", in ", " steps"],
    path_one: " step",
    none_fired: "No rule fired.",
    trace_h: "How the rules were decided",
    trace_help: "Each rule that fired: its condition, every comparison's result and the figures it read.",
    result: ["fired", "not fired", "undetermined"],
    not_fired_n: ["", " rules did not fire"],
    only: ["fires only under the edited pack", "fires only under the shipped pack"],
    status: [
        "You can borrow",
        "You can borrow, with limits",
        "Drawing is paused",
        "Drawing is blocked",
        "Account frozen",
        "Not enough information",
    ],
    effect: ["Freezes the account", "Blocks drawing", "Pauses drawing", "Lowers the limit", "Caps each drawdown"],
    personas: [
        "Healthy",
        "Overdue",
        "Login lock",
        "Maintenance night",
        "New device",
        "Income unverified",
        "Segment C",
        "Frozen",
        "Several reasons",
        "Income details missing",
        "High debt-to-income",
        "Severely overdue",
        "Regulatory cap",
    ],
};

/// The chrome texts of a locale.
pub fn ui(locale: Locale) -> &'static Ui {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

/// "2 errors, 1 warning" / "2 个错误，1 个警告" (a count of none is left out).
pub fn counts(locale: Locale, errors: usize, warnings: usize) -> String {
    let mut parts: Vec<String> = Vec::new();
    let zh = locale == Locale::ZhCn;
    for (n, one, many, zh_word) in [(errors, "error", "errors", "个错误"), (warnings, "warning", "warnings", "个警告")]
    {
        if n > 0 {
            let word = if zh {
                zh_word
            } else if n == 1 {
                one
            } else {
                many
            };
            parts.push([n.to_string().as_str(), " ", word].concat());
        }
    }
    parts.join(if zh { "，" } else { ", " })
}

/// A status in words.
pub fn status_word(ui: &Ui, s: Status) -> &'static str {
    ui.status.get(status(s).0).copied().unwrap_or("")
}

/// An effect in words.
pub fn effect_word(ui: &Ui, e: Effect) -> &'static str {
    ui.effect.get(effect(e)).copied().unwrap_or("")
}

/// The example borrowers (tests/personas/): file stem and JSON text.
pub const PERSONAS: [(&str, &str); 13] = [
    ("healthy", include_str!("../../tests/personas/healthy.json")),
    ("overdue", include_str!("../../tests/personas/overdue.json")),
    ("login_lock", include_str!("../../tests/personas/login_lock.json")),
    ("maintenance_night", include_str!("../../tests/personas/maintenance_night.json")),
    ("new_device", include_str!("../../tests/personas/new_device.json")),
    ("income_unverified", include_str!("../../tests/personas/income_unverified.json")),
    ("segment_c", include_str!("../../tests/personas/segment_c.json")),
    ("frozen", include_str!("../../tests/personas/frozen.json")),
    ("several_reasons", include_str!("../../tests/personas/several_reasons.json")),
    ("missing_capacity", include_str!("../../tests/personas/missing_capacity.json")),
    ("high_dti", include_str!("../../tests/personas/high_dti.json")),
    ("severe_overdue", include_str!("../../tests/personas/severe_overdue.json")),
    ("regulatory_cap", include_str!("../../tests/personas/regulatory_cap.json")),
];
