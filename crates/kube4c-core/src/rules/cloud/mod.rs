//! Cloud layer: what the cloud provider enforces or exposes.

pub mod eks_cluster_config;
pub mod env_cloud_credentials;
pub mod loadbalancer_source_ranges;
pub mod storageclass_unencrypted;
