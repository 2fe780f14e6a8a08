//! Code layer: the application's own inputs and secrets.

pub mod configmap_secret;
pub mod debug_enabled;
pub mod env_literal_secret;
pub mod suppression_reason;
pub mod unused_suppression;
