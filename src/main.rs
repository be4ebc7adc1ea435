use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = passage::cli::Cli::parse();
    match passage::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(passage::cli::EXIT_ERROR)
        }
    }
}
