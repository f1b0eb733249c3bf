//! The pages a mailed link or a sign-in page points to, named once for the server that
//! writes the links and the pages that answer them.

/// Forgot password: ask for a link.
pub const USER_FORGOT: &str = "/login/forgot";
pub const STAFF_FORGOT: &str = "/admin/login/forgot";
/// The page a reset link opens (`?token=…`).
pub const USER_RESET: &str = "/login/reset";
pub const STAFF_RESET: &str = "/admin/login/reset";
/// The page a verification link opens (`?token=…`).
pub const VERIFY_EMAIL: &str = "/verify-email";
/// The page an invitation opens (`?token=…`): the invited user chooses a password.
pub const ACCEPT_INVITATION: &str = "/accept-invitation";
