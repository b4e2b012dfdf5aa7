use clap::Parser;

fn main() {
    let cli = dbsh::cli::Cli::parse();
    std::process::exit(dbsh::app::run(cli));
}
