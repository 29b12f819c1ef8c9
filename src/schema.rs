//! The fact schema: the typed names that profiles give and rules read. A pack declares it; the
//! profile reader validates against it and the type checker resolves paths with it.

use crate::value::{EnumId, Type};

/// A fact's index in its schema, and in a profile's values.
pub type FactId = u16;

/// What a borrower can do: the contract's `steps[].action`, also the action that changes a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Repay an amount.
    Repay,
    /// Wait until a date.
    Wait,
    /// Verify identity (face check).
    VerifyIdentity,
    /// Verify this device.
    VerifyDevice,
    /// Upload a document.
    UploadDocument,
    /// Update the app.
    UpdateApp,
    /// Call or message support.
    ContactSupport,
    /// Get a credit report, or object to a record in it.
    CreditReport,
    /// Lower monthly debt payments.
    ReduceDebt,
    /// Nothing the borrower can do.
    None,
}

impl Action {
    /// Every action, in the contract's order.
    pub const ALL: [Action; 10] = [
        Action::Repay,
        Action::Wait,
        Action::VerifyIdentity,
        Action::VerifyDevice,
        Action::UploadDocument,
        Action::UpdateApp,
        Action::ContactSupport,
        Action::CreditReport,
        Action::ReduceDebt,
        Action::None,
    ];

    /// The contract's name.
    pub fn name(self) -> &'static str {
        match self {
            Action::Repay => "repay",
            Action::Wait => "wait",
            Action::VerifyIdentity => "verify_identity",
            Action::VerifyDevice => "verify_device",
            Action::UploadDocument => "upload_document",
            Action::UpdateApp => "update_app",
            Action::ContactSupport => "contact_support",
            Action::CreditReport => "credit_report",
            Action::ReduceDebt => "reduce_debt",
            Action::None => "none",
        }
    }

    /// Reads a contract name.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// The kind of value a fact holds, with its bounds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactKind {
    /// CNY, at most 2 decimals, 0 … 999,999,999,999.99.
    Money,
    /// A whole number within `min ..= max`.
    Int {
        /// Smallest allowed.
        min: i64,
        /// Largest allowed.
        max: i64,
    },
    /// An exact decimal.
    Dec,
    /// true or false.
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// RFC 3339 with an offset.
    DateTime,
    /// Text of at most `max_len` characters.
    Str {
        /// Longest allowed, in characters.
        max_len: usize,
    },
    /// One of the strings of `Schema::enum_values(id)`.
    Enum(EnumId),
    /// `8.2.1`.
    Version,
}

impl FactKind {
    /// The static type of the fact in expressions.
    pub fn ty(&self) -> Type {
        match self {
            FactKind::Money => Type::Money,
            FactKind::Int { .. } => Type::Int,
            FactKind::Dec => Type::Dec,
            FactKind::Bool => Type::Bool,
            FactKind::Date => Type::Date,
            FactKind::DateTime => Type::DateTime,
            FactKind::Str { .. } => Type::Str,
            FactKind::Enum(id) => Type::Enum(*id),
            FactKind::Version => Type::Version,
        }
    }
}

/// One declared fact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    /// `group.field`.
    pub path: String,
    /// What it holds.
    pub kind: FactKind,
    /// JSON `null` means "never" rather than "absent".
    pub null_is_never: bool,
    /// The action by which the borrower can change it, if any.
    pub action: Option<Action>,
    /// What a borrower calls it, by locale (like `Locale::ALL`), for forms and lists of missing facts.
    pub labels: [Option<String>; 2],
}

/// All declared facts, by group.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    facts: Vec<Fact>,
    /// Group name → (field name, id), in declaration order. A handful of entries: a Vec of pairs
    /// is as fast as a map here and much smaller in the wasm module.
    groups: Vec<(String, Vec<(String, FactId)>)>,
    enums: Vec<Vec<String>>,
}

/// The facts of the public contract (CONTRACT.md), in the order it lists them: the page's form
/// follows it, and the population generator gives exactly these.
pub const CONTRACT_PATHS: [&str; 24] = [
    "account.status",
    "account.credit_limit",
    "account.used",
    "account.kyc_verified",
    "account.id_expiry",
    "account.age",
    "account.region",
    "account.app_version",
    "account.segment",
    "credit.overdue_days",
    "credit.overdue_amount",
    "credit.overdue_episodes_12m",
    "credit.last_overdue_cleared_at",
    "credit.court_enforcement_listed",
    "credit.bureau_blacklisted",
    "credit.multi_lender_count_3m",
    "behavior.login_failures_24h",
    "behavior.last_login_failure_at",
    "behavior.new_device_unverified",
    "behavior.requests_last_hour",
    "capacity.monthly_income",
    "capacity.income_verified",
    "capacity.monthly_debt_payments",
    "request.amount",
];

/// The enum of verdict statuses, which rules evaluated last can compare with.
pub const STATUS_ENUM: EnumId = 0;
/// The statuses, as the contract names them.
pub const STATUS_NAMES: [&str; 6] = ["eligible", "limited", "paused", "blocked", "frozen", "incomplete"];

impl Schema {
    /// An empty schema (with the built-in status enum).
    pub fn new() -> Schema {
        Schema { enums: vec![STATUS_NAMES.iter().map(|s| (*s).to_string()).collect()], ..Schema::default() }
    }

    /// Registers an enum's values and returns its id.
    pub fn add_enum(&mut self, values: Vec<String>) -> EnumId {
        self.enums.push(values);
        EnumId::try_from(self.enums.len() - 1).unwrap_or(EnumId::MAX)
    }

    /// The values of an enum.
    pub fn enum_values(&self, id: EnumId) -> &[String] {
        self.enums.get(usize::from(id)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Adds a fact; `None` if the path is taken or there are too many facts.
    pub fn add_fact(
        &mut self,
        group: &str,
        field: &str,
        kind: FactKind,
        null_is_never: bool,
        action: Option<Action>,
    ) -> Option<FactId> {
        let path = format!("{group}.{field}");
        if self.lookup(&path).is_some() {
            return None;
        }
        let id = FactId::try_from(self.facts.len()).ok()?;
        self.facts.push(Fact { path, kind, null_is_never, action, labels: [None, None] });
        match self.groups.iter_mut().find(|(g, _)| g == group) {
            Some((_, fields)) => fields.push((field.to_string(), id)),
            None => self.groups.push((group.to_string(), vec![(field.to_string(), id)])),
        }
        Some(id)
    }

    /// Sets a fact's labels.
    pub fn set_labels(&mut self, id: FactId, labels: [Option<String>; 2]) {
        if let Some(f) = self.facts.get_mut(usize::from(id)) {
            f.labels = labels;
        }
    }

    /// Every fact, in declaration order.
    pub fn facts(&self) -> &[Fact] {
        &self.facts
    }

    /// A fact by id.
    pub fn fact(&self, id: FactId) -> Option<&Fact> {
        self.facts.get(usize::from(id))
    }

    /// A fact by its path.
    pub fn lookup(&self, path: &str) -> Option<FactId> {
        let i = self.facts.iter().position(|f| f.path == path)?;
        FactId::try_from(i).ok()
    }

    /// The fields of a group (name and id), if the group exists.
    pub fn group(&self, name: &str) -> Option<&[(String, FactId)]> {
        self.groups.iter().find(|(g, _)| g == name).map(|(_, fields)| fields.as_slice())
    }

    /// The group names, in declaration order.
    pub fn group_names(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().map(|(g, _)| g.as_str())
    }

    /// Every fact path, for suggestions.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.facts.iter().map(|f| f.path.as_str())
    }
}

/// The closest candidate to a misspelt name, if one is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over chars (names are short; quadratic is fine).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(usize::MAX).saturating_add(usize::from(ca != *cb));
            let del = prev.get(j + 1).copied().unwrap_or(usize::MAX).saturating_add(1);
            let ins = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_catch_typos_only() {
        let names = ["account.credit_limit", "account.used", "credit.overdue_days"];
        assert_eq!(suggest("account.credti_limit", names), Some("account.credit_limit"));
        assert_eq!(suggest("credit.overdue_day", names), Some("credit.overdue_days"));
        assert_eq!(suggest("banana", names), None);
    }
}
