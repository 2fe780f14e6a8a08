//! Cloud layer: what the cloud provider enforces or exposes.

pub mod aws_auth_access;
pub mod eks_cluster_config;
pub mod env_cloud_credentials;
pub mod ingress_nginx_snippet;
pub mod ingress_tls;
pub mod instance_credentials;
pub mod loadbalancer_source_ranges;
pub mod service_external_ips;
pub mod service_node_port;
pub mod ssh_port;
pub mod storageclass_unencrypted;
