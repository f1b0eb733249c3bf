//! The audit trail over HTTP.

use crate::common::*;
use roster_types::StaffPermission;

#[tokio::test]
async fn the_trail_outlives_a_deleted_user_and_notes_name_their_author() {
    let s = start(false).await;
    let admin = staff_client(&s, "ops@example.com", StaffPermission::ALL).await;
    let (_, user, _) = admin.call("/api/users/create", NEW_USER).await;
    let id = user["id"].as_str().unwrap().to_string();
    assert_eq!(user["admin_notes_by"], "ops@example.com");
    assert!(user["admin_notes_at"].is_string());
    let (status, _, _) = admin.call("/api/users/delete", &[("id", &id)]).await;
    assert_eq!(status, 200);
    let (_, page, _) = admin
        .call("/api/audit/list", &[("filter[target]", &id)])
        .await;
    let actions: Vec<&str> = column(&page["rows"], "action");
    assert_eq!(actions, ["user.deleted", "user.created"]);
    assert_eq!(page["rows"][0]["target_label"], "ann.lee@example.com");
    // by email too, after the user is gone
    let (_, page, _) = admin
        .call("/api/audit/list", &[("filter[target]", "ANN.LEE")])
        .await;
    assert_eq!(page["total"], 2);
}
