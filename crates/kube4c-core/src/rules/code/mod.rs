//! Code layer: the application's own inputs and secrets.

pub mod configmap_secret;
pub mod debug_enabled;
pub mod env_literal_secret;
pub mod hardcoded_secret;
pub mod secret_env_reference;
pub mod secret_manifest;
pub mod suppression_reason;
pub mod unused_suppression;
