//! Checks of the paging parameters shared by every list.

use crm_core::ValidationErrors;

/// Items per page when the request names none.
pub const DEFAULT_LIMIT: i64 = 50;
/// Most items one page may hold.
pub const MAX_LIMIT: i64 = 200;

/// Validates `limit` (1 to [`MAX_LIMIT`]) and `offset` (0 or more), applying defaults.
pub fn limit_and_offset(limit: Option<i64>, offset: Option<i64>) -> Result<(i64, i64), ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if !(1..=MAX_LIMIT).contains(&limit) {
        errors.add("limit", format!("must be between 1 and {MAX_LIMIT}"));
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        errors.add("offset", "must be 0 or more");
    }
    errors.into_result().map(|()| (limit, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked() {
        assert_eq!(limit_and_offset(None, None), Ok((50, 0)));
        assert_eq!(limit_and_offset(Some(200), Some(10)), Ok((200, 10)));
        assert!(limit_and_offset(Some(0), None).is_err());
        assert!(limit_and_offset(Some(201), None).is_err());
        assert!(limit_and_offset(None, Some(-1)).is_err());
    }
}
