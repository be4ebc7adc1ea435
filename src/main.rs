use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = passage::cli::Cli::parse();
    match passage::cli::run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // Errors name files and quote queries: never let them control the terminal.
            eprintln!("error: {}", passage::printer::inert::line(&e.to_string()));
            ExitCode::from(passage::cli::EXIT_ERROR)
        }
    }
}
