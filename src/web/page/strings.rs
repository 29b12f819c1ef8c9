//! The page's own words (its "chrome"), in zh-CN and en. Rule texts and fact labels come from the
//! rule pack; everything else a borrower reads on the page is here, so switching the language
//! changes every visible text.

use crate::i18n::Locale;

/// Every chrome text of the page, in one language.
pub struct Ui {
    /// The language tag of these texts (`<html lang>`).
    pub tag: &'static str,
    /// `<title>` and the page heading.
    pub title: &'static str,
    /// One line under the heading.
    pub tagline: &'static str,
    /// The privacy promise.
    pub privacy: &'static str,
    /// The language switch: the name of the *other* language, in that language.
    pub switch_to: &'static str,
    /// The tag of the other language (the switch's own `lang`).
    pub switch_tag: &'static str,
    /// The switch's description for assistive technology.
    pub switch_hint: &'static str,
    /// Heading of the verdict region.
    pub verdict: &'static str,
    /// Heading of the form.
    pub details: &'static str,
    /// Label of the persona picker.
    pub persona: &'static str,
    /// The picker's choice while the form holds a profile the host app sent (no example).
    pub from_host: &'static str,
    /// The evaluation instant's label, hint and "now" button.
    pub as_of: &'static str,
    /// Format hint for the evaluation instant.
    pub as_of_hint: &'static str,
    /// The "now" button.
    pub now: &'static str,
    /// The empty choice of a select: the fact is not given.
    pub not_given: &'static str,
    /// Bool choices.
    pub yes: &'static str,
    /// Bool choices.
    pub no: &'static str,
    /// Hint for `null = "never"` facts.
    pub empty_is_never: &'static str,
    /// Hint for datetimes: they are in the evaluation instant's zone.
    pub zone_hint: &'static str,
    /// "Available now".
    pub available: &'static str,
    /// "Effective limit".
    pub limit: &'static str,
    /// Before the evaluation instant in the card.
    pub as_of_prefix: &'static str,
    /// Heading of the reasons.
    pub why: &'static str,
    /// "Show all N reasons", around N.
    pub show_all: [&'static str; 2],
    /// Heading of a reason's steps.
    pub steps: &'static str,
    /// When nothing restricts drawing.
    pub nothing: &'static str,
    /// Heading of the missing facts.
    pub missing: &'static str,
    /// Under the missing facts.
    pub missing_hint: &'static str,
    /// The card's status when the profile cannot be read.
    pub error_title: &'static str,
    /// Before the profile error: the words, and the brackets and colon around the field's label.
    pub error_prefix: [&'static str; 4],
    /// A segment reason's note.
    pub segment: &'static str,
    /// "Ends in {left}, at {clock}": the three pieces around the two figures.
    pub ends: [&'static str; 3],
    /// "Ended at {clock}".
    pub ended: [&'static str; 2],
    /// Step figure names: amount, target, until, phone.
    pub figures: [&'static str; 4],
    /// Heading of the path back to drawing.
    pub path: &'static str,
    /// "You can get to {status}, with {amount} available, by {date}": the four pieces around them.
    pub path_reach: [&'static str; 4],
    /// After a plan step: "then {status}, {amount} available": the pieces around the two figures.
    pub path_then: [&'static str; 3],
    /// Above the reasons nothing the borrower does lifts.
    pub path_fixed: &'static str,
    /// "Rule pack: " (the footer names the pack that decided).
    pub pack: &'static str,
    /// Status words, by `Status` (see `status`).
    pub status: [&'static str; 6],
    /// Effect words, by `Effect`.
    pub effect: [&'static str; 5],
    /// Group legends: account, credit, behavior, capacity, request.
    pub groups: [&'static str; 5],
    /// `account.status` values: active, frozen, closed.
    pub account_status: [&'static str; 3],
    /// Persona names, in `PERSONAS` order.
    pub personas: [&'static str; 10],
}

/// The groups of facts, in the contract's order.
pub const GROUPS: [&str; 5] = ["account", "credit", "behavior", "capacity", "request"];

/// The values of `account.status` that `Ui::account_status` names.
pub const ACCOUNT_STATUS: [&str; 3] = ["active", "frozen", "closed"];

static ZH: Ui = Ui {
    tag: "zh-CN",
    title: "借款自查",
    tagline: "看看现在能不能借款、为什么，以及您可以怎么做。",
    privacy: "您的数据不会离开这台设备：所有判断都在本机完成。",
    switch_to: "English",
    switch_tag: "en",
    switch_hint: "切换语言",
    verdict: "结论",
    details: "您的资料",
    persona: "从示例开始",
    from_host: "应用发来的资料",
    as_of: "评估时间",
    as_of_hint: "例如 2026-11-29T10:00:00+08:00",
    now: "现在",
    not_given: "— 未填 —",
    yes: "是",
    no: "否",
    empty_is_never: "留空表示从未发生",
    zone_hint: "按评估时间的时区",
    available: "现在可借",
    limit: "有效额度",
    as_of_prefix: "评估时间：",
    why: "原因",
    show_all: ["显示全部", "条原因"],
    steps: "您可以这样做",
    nothing: "目前没有限制借款的因素。",
    missing: "还缺少这些信息",
    missing_hint: "在资料里补全后，结论会立即更新。",
    error_title: "请检查填写的内容",
    error_prefix: ["资料有误", "（", "）", "："],
    segment: "影响一类账户，不是针对您个人",
    path: "恢复借款的路径",
    path_reach: ["照下面做，可以达到「", "」，可借", "，最早", "。"],
    path_then: ["之后：", "，可借", ""],
    path_fixed: "以下原因，您的操作无法解除；还能做的是：",
    ends: ["还有", "，于", "结束"],
    ended: ["已于", "结束"],
    figures: ["金额", "目标", "截止", "电话"],
    pack: "规则包：",
    status: ["可以借款", "可以借款，但有限制", "暂停借款", "暂时不能借款", "账户已冻结", "信息不全，无法判断"],
    effect: ["冻结账户", "不能借款", "暂停借款", "额度下调", "单笔限额"],
    groups: ["账户", "信用记录", "登录与设备", "还款能力", "本次借款"],
    account_status: ["正常", "冻结", "已关闭"],
    personas: [
        "正常",
        "有逾期",
        "登录锁定",
        "系统维护之夜",
        "新设备",
        "收入未核实",
        "C类账户",
        "账户冻结",
        "多个原因",
        "缺少收入信息",
    ],
};

static EN: Ui = Ui {
    tag: "en",
    title: "Drawdown self-check",
    tagline: "See whether you can borrow now, why, and what you can do.",
    privacy: "Your data never leaves this device: everything is worked out right here.",
    switch_to: "中文",
    switch_tag: "zh-CN",
    switch_hint: "Change language",
    verdict: "Verdict",
    details: "Your details",
    persona: "Start from an example",
    from_host: "Sent by the app",
    as_of: "Evaluation time",
    as_of_hint: "like 2026-11-29T10:00:00+08:00",
    now: "Now",
    not_given: "— not given —",
    yes: "Yes",
    no: "No",
    empty_is_never: "Leave empty for never",
    zone_hint: "In the evaluation time's zone",
    available: "Available now",
    limit: "Effective limit",
    as_of_prefix: "As of ",
    why: "Why",
    show_all: ["Show all ", " reasons"],
    steps: "What you can do",
    nothing: "Nothing restricts drawing right now.",
    missing: "This information is missing",
    missing_hint: "Fill it in and the verdict updates at once.",
    error_title: "Please check your details",
    error_prefix: ["A detail can't be read", " (", ")", ": "],
    segment: "Affects a group of accounts, not about you",
    path: "Path to drawing again",
    path_reach: ["Do this to get to “", "”, with ", " available, from ", "."],
    path_then: ["Then: ", ", ", " available"],
    path_fixed: "Nothing you change lifts these; what remains:",
    ends: ["Ends in ", ", at ", ""],
    ended: ["Ended at ", ""],
    figures: ["Amount", "Target", "Until", "Phone"],
    pack: "Rule pack: ",
    status: [
        "You can borrow",
        "You can borrow, with limits",
        "Drawing is paused",
        "Drawing is blocked",
        "Account frozen",
        "Not enough information",
    ],
    effect: ["Freezes the account", "Blocks drawing", "Pauses drawing", "Lowers the limit", "Caps each drawdown"],
    groups: ["Account", "Credit record", "Sign-in and device", "Repayment capacity", "This drawdown"],
    account_status: ["Active", "Frozen", "Closed"],
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
    ],
};

/// The chrome texts of a locale.
pub fn ui(locale: Locale) -> &'static Ui {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

pub use crate::web::shown::{effect, status};

/// The ready personas (tests/personas/, also the snapshot fixtures): file stem and JSON text.
pub const PERSONAS: [(&str, &str); 10] = [
    ("healthy", include_str!("../../../tests/personas/healthy.json")),
    ("overdue", include_str!("../../../tests/personas/overdue.json")),
    ("login_lock", include_str!("../../../tests/personas/login_lock.json")),
    ("maintenance_night", include_str!("../../../tests/personas/maintenance_night.json")),
    ("new_device", include_str!("../../../tests/personas/new_device.json")),
    ("income_unverified", include_str!("../../../tests/personas/income_unverified.json")),
    ("segment_c", include_str!("../../../tests/personas/segment_c.json")),
    ("frozen", include_str!("../../../tests/personas/frozen.json")),
    ("several_reasons", include_str!("../../../tests/personas/several_reasons.json")),
    ("missing_capacity", include_str!("../../../tests/personas/missing_capacity.json")),
];
