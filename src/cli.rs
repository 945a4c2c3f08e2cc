//! Command-line flags.

use std::path::PathBuf;

use clap::Parser;

/// A terminal operations console for AWS ECS, EC2 hosts and local Docker containers.
#[derive(Debug, Clone, Parser, Default)]
#[command(name = "opsdeck", version, about)]
pub struct Cli {
    /// AWS profile (default: AWS_PROFILE, then the config, then the default chain).
    #[arg(long, env = "AWS_PROFILE")]
    pub profile: Option<String>,

    /// AWS region (default: AWS_REGION, then the profile).
    #[arg(long)]
    pub region: Option<String>,

    /// Endpoint URL for a local emulator such as moto or LocalStack (also AWS_ENDPOINT_URL).
    #[arg(long, env = "AWS_ENDPOINT_URL")]
    pub endpoint_url: Option<String>,

    /// Config file (default: OPSDECK_CONFIG, then the XDG config dir).
    #[arg(long)]
    pub config: Option<PathBuf>,

    /// Theme name, overriding the config.
    #[arg(long)]
    pub theme: Option<String>,

    /// Refuse every mutating action.
    #[arg(long)]
    pub read_only: bool,

    /// Open on this cluster's services.
    #[arg(long)]
    pub cluster: Option<String>,

    /// Print the resolved config, theme, log and journal paths, then exit.
    #[arg(long)]
    pub paths: bool,
}
