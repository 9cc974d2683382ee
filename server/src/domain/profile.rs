//! What a person may put in their profile and choose as a password. Each check names the
//! request field it is about, so the error can point at it.

/// Why a value was refused: the field and a message for a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: &'static str,
}

fn invalid(field: &'static str, message: &'static str) -> Invalid {
    Invalid { field, message }
}

pub const NAME_MAX_CHARS: usize = 100;
pub const PASSWORD_MIN_CHARS: usize = 8;
/// argon2 would hash a megabyte happily; nobody types more than this.
pub const PASSWORD_MAX_CHARS: usize = 128;

/// A first or last name, trimmed: 1 to 100 characters, no control characters.
pub fn name(field: &'static str, raw: &str) -> Result<String, Invalid> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(invalid(field, "Ce champ est requis"));
    }
    if value.chars().count() > NAME_MAX_CHARS {
        return Err(invalid(field, "100 caractères au plus"));
    }
    if value.chars().any(char::is_control) {
        return Err(invalid(field, "Caractères non autorisés"));
    }
    Ok(value.to_string())
}

/// A phone number as people write it (`06 12 34 56 78`, `+33 6 12-34-56-78`, `(01) 23.45.67.89`),
/// trimmed: 6 to 15 digits (E.164's maximum), an optional leading `+`, and spaces, dots, dashes
/// or parentheses between. Empty means "no phone" (`None`).
pub fn phone(raw: &str) -> Result<Option<String>, Invalid> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let body = value.strip_prefix('+').unwrap_or(value);
    let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '(' | ')');
    let digits = body.chars().filter(char::is_ascii_digit).count();
    if !body.chars().all(allowed) || !(6..=15).contains(&digits) || value.len() > 30 {
        return Err(invalid("phone", "Numéro de téléphone invalide"));
    }
    Ok(Some(value.to_string()))
}

/// A new password: 8 to 128 characters. Length is what makes a password hard to guess; no
/// composition rules, which only push people towards predictable patterns.
pub fn new_password(field: &'static str, password: &str) -> Result<(), Invalid> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(invalid(field, "8 caractères au moins"));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(invalid(field, "128 caractères au plus"));
    }
    Ok(())
}

/// An email as typed into a form: trimmed and lowercased, as accounts store it.
pub fn email(raw: &str) -> Result<String, Invalid> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err(invalid("email", "L'email est requis"));
    }
    if value.len() > 254 || !value.contains('@') {
        return Err(invalid("email", "Email invalide"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("firstName", "  Léa ").unwrap(), "Léa");
        assert_eq!(name("firstName", " ").unwrap_err().field, "firstName");
        assert!(
            name("lastName", &"é".repeat(100)).is_ok(),
            "counted in characters"
        );
        assert_eq!(
            name("lastName", &"a".repeat(101)).unwrap_err().field,
            "lastName"
        );
        assert!(name("lastName", "a\nb").is_err());
    }

    #[test]
    fn phones_as_people_write_them() {
        for ok in [
            "06 12 34 56 78",
            "+33 6 12-34-56-78",
            "(01) 23.45.67.89",
            "0612345678",
        ] {
            assert_eq!(phone(ok).unwrap().as_deref(), Some(ok), "{ok}");
        }
        assert_eq!(phone("  ").unwrap(), None);
        for bad in [
            "12345",
            "06 12 34 56 7x",
            "++33612345678",
            "0612345678901234",
            "+",
        ] {
            assert_eq!(phone(bad).unwrap_err().field, "phone", "{bad}");
        }
    }

    #[test]
    fn passwords_are_counted_in_characters() {
        assert!(new_password("newPassword", "1234567").is_err());
        assert!(new_password("newPassword", "12345678").is_ok());
        assert!(new_password("newPassword", "éééééééé").is_ok());
        assert!(new_password("newPassword", &"x".repeat(129)).is_err());
    }

    #[test]
    fn emails_are_normalised() {
        assert_eq!(email(" A@B.fr ").unwrap(), "a@b.fr");
        assert!(email("").is_err());
        assert!(email("nobody").is_err());
    }
}
