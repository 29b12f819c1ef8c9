//! Exact decimal numbers, and money as a decimal that is shown to the fen.
//!
//! A `Dec` is `mantissa × 10^-scale` in an `i128`. Addition, subtraction, multiplication and
//! comparison are exact; division keeps [`DIV_SCALE`] decimals, rounded toward zero. Every
//! operation is checked: an overflow is an error value, never a wrap or a panic.
//!
//! Why not a crate: we need only `+ − × ÷ <` and rounding to the fen, and the page's size budget
//! counts every kilobyte; this file is the whole of it.

use core::cmp::Ordering;
use core::fmt;

/// Largest scale a value may carry; products of two values at this scale still fit an i128
/// for every amount a profile can hold.
pub const MAX_SCALE: u32 = 18;
/// Decimals kept by a division.
pub const DIV_SCALE: u32 = 12;
/// Largest amount of money a profile may hold: 999,999,999,999.99 in fen.
pub const MAX_MONEY_FEN: i128 = 99_999_999_999_999;

/// Something an exact operation could not do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    /// The result does not fit.
    Overflow,
    /// Division by zero.
    DivideByZero,
}

impl fmt::Display for ArithError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ArithError::Overflow => "a number grew too large",
            ArithError::DivideByZero => "division by zero",
        })
    }
}

/// An exact decimal number.
#[derive(Clone, Copy, Debug)]
pub struct Dec {
    mantissa: i128,
    scale: u32,
}

/// 10⁰ … 10³⁸: every power of ten an i128 holds.
// Evaluated at compile time: an index out of bounds would fail the build, not panic.
#[allow(clippy::indexing_slicing)]
const POW10: [i128; 39] = {
    let mut t = [1i128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

fn pow10(n: u32) -> Option<i128> {
    POW10.get(n as usize).copied()
}

impl Dec {
    /// Zero.
    pub const ZERO: Dec = Dec { mantissa: 0, scale: 0 };

    /// `mantissa × 10^-scale`.
    pub const fn new(mantissa: i128, scale: u32) -> Dec {
        Dec { mantissa, scale }
    }

    /// A whole number.
    pub const fn from_int(n: i64) -> Dec {
        Dec { mantissa: n as i128, scale: 0 }
    }

    /// An amount in fen.
    pub const fn from_fen(fen: i128) -> Dec {
        Dec { mantissa: fen, scale: 2 }
    }

    /// Whether the value is below zero.
    pub fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    /// How many decimals the value is written with (trailing zeros included).
    pub fn scale(self) -> u32 {
        self.scale
    }

    /// The same value at a larger scale.
    fn rescale(self, scale: u32) -> Result<Dec, ArithError> {
        let up = scale.checked_sub(self.scale).ok_or(ArithError::Overflow)?;
        // Most operands already share a scale (amounts in fen): no i128 multiplication then.
        if up == 0 {
            return Ok(self);
        }
        let factor = pow10(up).ok_or(ArithError::Overflow)?;
        let mantissa = self.mantissa.checked_mul(factor).ok_or(ArithError::Overflow)?;
        Ok(Dec { mantissa, scale })
    }

    fn aligned(self, other: Dec) -> Result<(i128, i128, u32), ArithError> {
        let scale = self.scale.max(other.scale);
        Ok((self.rescale(scale)?.mantissa, other.rescale(scale)?.mantissa, scale))
    }

    /// Removes trailing zeros after the point, so scales stay small through long computations.
    fn normalized(self) -> Dec {
        let mut d = self;
        // Amounts fit an i64, whose division is several times faster than an i128's.
        if let Ok(mut m) = i64::try_from(d.mantissa) {
            while d.scale > 0 && m % 10 == 0 {
                m /= 10;
                d.scale -= 1;
            }
            d.mantissa = i128::from(m);
            return d;
        }
        while d.scale > 0 && d.mantissa % 10 == 0 {
            d.mantissa /= 10;
            d.scale -= 1;
        }
        d
    }

    /// `self + other`, exactly.
    pub fn checked_add(self, other: Dec) -> Result<Dec, ArithError> {
        let (a, b, scale) = self.aligned(other)?;
        let mantissa = a.checked_add(b).ok_or(ArithError::Overflow)?;
        Ok(Dec { mantissa, scale })
    }

    /// `self - other`, exactly.
    pub fn checked_sub(self, other: Dec) -> Result<Dec, ArithError> {
        let (a, b, scale) = self.aligned(other)?;
        let mantissa = a.checked_sub(b).ok_or(ArithError::Overflow)?;
        Ok(Dec { mantissa, scale })
    }

    /// `self × other`, exactly.
    pub fn checked_mul(self, other: Dec) -> Result<Dec, ArithError> {
        // Amounts and factors fit an i64: their product fits an i128 as it is, so there is
        // nothing to normalize first (the result is normalized, so it is the same either way).
        if let (Ok(x), Ok(y)) = (i64::try_from(self.mantissa), i64::try_from(other.mantissa)) {
            let scale = self.scale + other.scale;
            if scale <= 2 * MAX_SCALE {
                return Ok(Dec { mantissa: i128::from(x) * i128::from(y), scale }.normalized());
            }
        }
        let a = self.normalized();
        let b = other.normalized();
        let mantissa = a.mantissa.checked_mul(b.mantissa).ok_or(ArithError::Overflow)?;
        let scale = a.scale + b.scale;
        if scale > 2 * MAX_SCALE {
            return Err(ArithError::Overflow);
        }
        Ok(Dec { mantissa, scale }.normalized())
    }

    /// `self ÷ other`, to [`DIV_SCALE`] decimals, rounded toward zero.
    pub fn checked_div(self, other: Dec) -> Result<Dec, ArithError> {
        let a = self.normalized();
        let b = other.normalized();
        if b.mantissa == 0 {
            return Err(ArithError::DivideByZero);
        }
        // a/b = (ma / mb) × 10^(sb - sa); compute ma × 10^(DIV_SCALE + sb - sa) / mb at scale DIV_SCALE.
        let shift = (DIV_SCALE + b.scale).checked_sub(a.scale);
        let (num, scale) = match shift {
            Some(s) => (a.mantissa.checked_mul(pow10(s).ok_or(ArithError::Overflow)?), DIV_SCALE),
            None => (Some(a.mantissa), a.scale - b.scale),
        };
        let num = num.ok_or(ArithError::Overflow)?;
        // `checked_div`: i128::MIN / -1 overflows (and would panic).
        let mantissa = num.checked_div(b.mantissa).ok_or(ArithError::Overflow)?;
        Ok(Dec { mantissa, scale }.normalized())
    }

    /// The negation.
    pub fn checked_neg(self) -> Result<Dec, ArithError> {
        let mantissa = self.mantissa.checked_neg().ok_or(ArithError::Overflow)?;
        Ok(Dec { mantissa, scale: self.scale })
    }

    /// Exact comparison. Values too far apart to align compare by sign and magnitude.
    pub fn cmp_exact(self, other: Dec) -> Ordering {
        match self.aligned(other) {
            Ok((a, b, _)) => a.cmp(&b),
            // Alignment overflows only when the side with fewer decimals is enormous: its sign decides.
            Err(_) if self.scale < other.scale => {
                if self.mantissa >= 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            }
            Err(_) => {
                if other.mantissa >= 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            }
        }
    }

    /// Rounded down (toward −∞) to `scale` decimals.
    pub fn floor_to(self, scale: u32) -> Dec {
        self.round_to(scale, false)
    }

    /// Rounded up (toward +∞) to `scale` decimals.
    pub fn ceil_to(self, scale: u32) -> Dec {
        self.round_to(scale, true)
    }

    fn round_to(self, scale: u32, up: bool) -> Dec {
        if self.scale <= scale {
            // Only an enormous value fails to rescale: saturate rather than misplace the point.
            return self
                .rescale(scale)
                .unwrap_or(Dec { mantissa: if self.mantissa < 0 { i128::MIN } else { i128::MAX }, scale });
        }
        let Some(div) = pow10(self.scale - scale) else {
            // More than 38 decimals below the target: the value rounds to zero or one unit.
            let unit = i128::from(up && self.mantissa > 0) - i128::from(!up && self.mantissa < 0);
            return Dec { mantissa: unit, scale };
        };
        let (q, exact) = match (i64::try_from(self.mantissa), i64::try_from(div)) {
            // The common case, in i64 (several times faster than i128 division).
            (Ok(m), Ok(d)) => (i128::from(m.div_euclid(d)), m.rem_euclid(d) == 0),
            _ => (self.mantissa.div_euclid(div), self.mantissa.rem_euclid(div) == 0),
        };
        let mantissa = if up && !exact { q + 1 } else { q };
        Dec { mantissa, scale }
    }

    /// The value in fen, rounded down.
    pub fn to_fen_floor(self) -> i128 {
        self.floor_to(2).mantissa
    }

    /// Parses plain decimal text: optional `-`, digits, optional `.` and digits. No exponents,
    /// no `+`, no spaces, no thousands separators.
    pub fn parse(text: &str) -> Option<Dec> {
        let (negative, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (int_part, frac_part) = match body.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (body, None),
        };
        if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let frac = frac_part.unwrap_or("");
        if frac_part.is_some() && frac.is_empty() {
            return None;
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) || frac.len() > MAX_SCALE as usize {
            return None;
        }
        let mut mantissa: i128 = 0;
        for b in int_part.bytes().chain(frac.bytes()) {
            mantissa = mantissa.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        if negative {
            mantissa = -mantissa;
        }
        Some(Dec { mantissa, scale: frac.len() as u32 })
    }
}

impl PartialEq for Dec {
    fn eq(&self, other: &Dec) -> bool {
        self.cmp_exact(*other) == Ordering::Equal
    }
}
impl Eq for Dec {}
impl PartialOrd for Dec {
    fn partial_cmp(&self, other: &Dec) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Dec {
    fn cmp(&self, other: &Dec) -> Ordering {
        self.cmp_exact(*other)
    }
}

impl fmt::Display for Dec {
    /// Plain text with the value's own scale: `0.5`, `-12.30`, `200000`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.mantissa.unsigned_abs().to_string();
        if self.mantissa < 0 {
            f.write_str("-")?;
        }
        let scale = self.scale as usize;
        if scale == 0 {
            return f.write_str(&digits);
        }
        let padded =
            if digits.len() <= scale { format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits) } else { digits };
        let (int_part, frac_part) = padded.split_at(padded.len() - scale);
        write!(f, "{int_part}.{frac_part}")
    }
}

/// An amount of money that a user sees: whole fen, at least zero. Made only by rounding a
/// [`Dec`] down, so every figure on screen is exact and never more than the rules allow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Fen(pub i128);

impl Fen {
    /// Zero fen.
    pub const ZERO: Fen = Fen(0);

    /// Rounds an exact amount down to the fen.
    pub fn floor(d: Dec) -> Fen {
        Fen(d.to_fen_floor())
    }

    /// Back to an exact decimal with two places.
    pub fn to_dec(self) -> Dec {
        Dec::from_fen(self.0)
    }

    /// Plain text with exactly two decimals: `1234.50`, as the contract writes amounts.
    pub fn plain(self) -> String {
        self.to_dec().to_string()
    }

    /// Text with thousands separators and two decimals, no currency sign: `1,234.50`.
    pub fn grouped(self) -> String {
        let plain = self.plain();
        let (sign, body) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (int_part, frac_part) = body.split_once('.').unwrap_or((body, "00"));
        let mut grouped = String::with_capacity(int_part.len() + int_part.len() / 3);
        for (i, ch) in int_part.chars().enumerate() {
            if i > 0 && (int_part.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(ch);
        }
        format!("{sign}{grouped}.{frac_part}")
    }
}

impl serde::Serialize for Fen {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.plain())
    }
}

/// Why a text is not an amount of money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a plain decimal (letters, an exponent, a `+`, an empty string).
    NotANumber,
    /// More than two decimals.
    TooManyDecimals,
    /// Below zero.
    Negative,
    /// Above 999,999,999,999.99.
    TooLarge,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            MoneyError::NotANumber => "is not an amount: write digits with at most 2 decimals, like \"320.50\" (no exponent, sign or separators)",
            MoneyError::TooManyDecimals => "has more than 2 decimals: amounts are exact to the fen (0.01)",
            MoneyError::Negative => "is negative: amounts are from 0 to 999,999,999,999.99",
            MoneyError::TooLarge => "is larger than 999,999,999,999.99",
        })
    }
}

/// The common shape of an amount, read in an i64: 1 to 12 digits, then optionally `.` and 1 or 2
/// digits. `None` for anything else (which [`parse_money`] then reads, or rejects, the long way).
fn plain_money(text: &str) -> Option<Dec> {
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) if !f.is_empty() => (i, f),
        Some(_) => return None,
        None => (text, ""),
    };
    if int_part.is_empty() || int_part.len() > 12 || frac_part.len() > 2 {
        return None;
    }
    let mut mantissa: i64 = 0;
    for b in int_part.bytes().chain(frac_part.bytes()) {
        if !b.is_ascii_digit() {
            return None;
        }
        // At most 14 digits: far inside an i64.
        mantissa = mantissa * 10 + i64::from(b - b'0');
    }
    Some(Dec::new(i128::from(mantissa), frac_part.len() as u32))
}

/// Parses an amount as a profile gives it: `"320.50"`, `"320.5"`, `"320"`.
pub fn parse_money(text: &str) -> Result<Dec, MoneyError> {
    match plain_money(text) {
        Some(d) => Ok(d),
        None => parse_money_checked(text),
    }
}

/// [`parse_money`] for every shape, with the reason a text is not an amount.
fn parse_money_checked(text: &str) -> Result<Dec, MoneyError> {
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int_part) || (body.contains('.') && !digits(frac_part)) {
        return Err(MoneyError::NotANumber);
    }
    if negative {
        return Err(MoneyError::Negative);
    }
    if frac_part.len() > 2 {
        return Err(MoneyError::TooManyDecimals);
    }
    if int_part.trim_start_matches('0').len() > 12 {
        return Err(MoneyError::TooLarge);
    }
    let d = Dec::parse(body).ok_or(MoneyError::NotANumber)?;
    if d.cmp_exact(Dec::from_fen(MAX_MONEY_FEN)) == Ordering::Greater {
        return Err(MoneyError::TooLarge);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap_or(Dec::ZERO)
    }

    #[test]
    fn arithmetic_is_exact() {
        assert_eq!(d("0.1").checked_add(d("0.2")), Ok(d("0.3")));
        assert_eq!(d("0.5").checked_mul(d("10000.01")), Ok(d("5000.005")));
        assert_eq!(d("0.7").checked_mul(d("20000.00")).map(|x| x.to_string()), Ok("14000".to_string()));
        assert_eq!(d("10").checked_div(d("4")), Ok(d("2.5")));
        assert_eq!(d("1").checked_div(d("3")).map(|x| x.to_string()), Ok("0.333333333333".to_string()));
        assert_eq!(d("1").checked_div(d("0")), Err(ArithError::DivideByZero));
    }

    #[test]
    fn rounding_goes_down_to_the_fen() {
        assert_eq!(Fen::floor(d("5000.005")), Fen(500000));
        assert_eq!(Fen::floor(d("0.019")), Fen(1));
        assert_eq!(Fen::floor(d("-0.001")), Fen(-1));
        assert_eq!(d("2500.001").ceil_to(2), d("2500.01"));
        assert_eq!(d("2500.00").ceil_to(2), d("2500"));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let big = Dec::new(i128::MAX / 2, 0);
        assert_eq!(big.checked_mul(d("3")), Err(ArithError::Overflow));
        assert_eq!(big.checked_add(big).and_then(|x| x.checked_add(big)), Err(ArithError::Overflow));
    }

    #[test]
    fn the_quick_path_reads_amounts_as_the_long_one_does() {
        let texts = "0|0.0|0.00|7|320.5|320.50|000000000012.34|999999999999.99|1.|.5|1.234|12a|-1|1e3||1000000000000|1.2.3|+1| 1";
        for t in texts.split('|') {
            let long = parse_money_checked(t);
            assert_eq!(parse_money(t), long, "{t}");
            if let (Some(q), Ok(l)) = (plain_money(t), long) {
                assert_eq!((q.to_string(), q.scale()), (l.to_string(), l.scale()), "{t}");
            }
        }
    }

    #[test]
    fn money_text_is_strict() {
        assert_eq!(parse_money("320.50"), Ok(d("320.5")));
        assert_eq!(parse_money("320.505"), Err(MoneyError::TooManyDecimals));
        assert_eq!(parse_money("-1"), Err(MoneyError::Negative));
        assert_eq!(parse_money("1e3"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("NaN"), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1000000000000.00"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money("999999999999.99"), Ok(d("999999999999.99")));
        assert_eq!(parse_money("99999999999999999999999999999999999999999999"), Err(MoneyError::TooLarge));
        assert_eq!(parse_money(""), Err(MoneyError::NotANumber));
        assert_eq!(parse_money("1."), Err(MoneyError::NotANumber));
    }

    #[test]
    fn amounts_print_with_two_decimals_and_groups() {
        assert_eq!(Fen(123450).plain(), "1234.50");
        assert_eq!(Fen(123450).grouped(), "1,234.50");
        assert_eq!(Fen(5).grouped(), "0.05");
        assert_eq!(Fen(99_999_999_999_999).grouped(), "999,999,999,999.99");
        assert_eq!(Fen(10_000_000).grouped(), "100,000.00");
    }
}
