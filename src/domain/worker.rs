//! Community workers (社区工作者): who is at the keyboard, and to whom
//! requests are assigned. The duties board extends this record later.

use super::ids::WorkerId;
use serde::{Deserialize, Serialize};

/// Posts a worker can hold; the first few are the ones that approve leave.
pub const POSTS: &[&str] = &["书记", "主任", "副主任", "委员", "专干", "网格员", "其他"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Worker {
    pub id: WorkerId,
    pub name: String,
    pub post: String,
    pub phone: String,
    pub grid: String,
    pub active: bool,
}

impl Worker {
    pub fn new(id: WorkerId, name: &str, post: &str) -> Self {
        Worker {
            id,
            name: name.to_string(),
            post: post.to_string(),
            phone: String::new(),
            grid: String::new(),
            active: true,
        }
    }
}
