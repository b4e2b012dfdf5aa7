use clap::Parser;

fn main() {
    let cli = dbsh::cli::Cli::parse();
    // The arguments are parsed and copied: hide any password from `ps` from now on.
    dbsh::secret::scrub_argv();
    std::process::exit(dbsh::app::run(cli));
}
