//! `ddm-backups completions SHELL` and `ddm-backups man`: both generated
//! from the clap definitions, so they cannot drift from the real flags.

use std::io::Write;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Failure;
use crate::cli::Cli;

/// The name the scripts complete: the installed binary's, not argv[0]'s.
const BIN: &str = "ddm-backups";

/// Prints `shell`'s completion script.
pub fn completions(shell: Shell) -> Result<(), Failure> {
    let mut command = Cli::command();
    // clap_complete panics when its writer fails, so it writes to memory;
    // only `print` meets the pipe, and a closed one ends quietly there.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, BIN, &mut script);
    super::print(|out| out.write_all(&script))
}

/// Prints the man page (roff) for `man -l -` or a man1 folder.
pub fn man() -> Result<(), Failure> {
    let page = man_page().map_err(|e| Failure {
        code: super::EXIT_LOOKUP,
        message: format!("error: cannot build the man page: {e}"),
    })?;
    super::print(|out| out.write_all(&page))
}

/// One page for the whole tool. clap_mangen's own page would point at a
/// page per subcommand (ddm-backups-show(1), ...) that nothing installs, so
/// each subcommand's synopsis and options are a section of this page instead.
fn man_page() -> std::io::Result<Vec<u8>> {
    let root = Cli::command();
    let man = clap_mangen::Man::new(root.clone());
    let mut page = Vec::new();
    man.render_title(&mut page)?;
    man.render_name_section(&mut page)?;
    man.render_synopsis_section(&mut page)?;
    man.render_description_section(&mut page)?;
    man.render_options_section(&mut page)?;
    for (name, command) in leaves(&root, BIN) {
        writeln!(page, ".SH \"{}\"", name.replace('-', "\\-"))?;
        let sub = clap_mangen::Man::new(command.bin_name(&name));
        let mut sections = Vec::new();
        sub.render_description_section(&mut sections)?;
        sub.render_synopsis_section(&mut sections)?;
        sub.render_options_section(&mut sections)?;
        // Under the command's own heading, its sections are subsections.
        for line in String::from_utf8_lossy(&sections).lines() {
            match line.strip_prefix(".SH ") {
                Some(title) => writeln!(page, ".SS {title}")?,
                None => writeln!(page, "{line}")?,
            }
        }
    }
    man.render_version_section(&mut page)?;
    Ok(page)
}

/// Every runnable subcommand (`config check`, not `config`), with its full
/// name. The command is not built, so global options stay with the top
/// level instead of repeating under every subcommand.
fn leaves(command: &clap::Command, prefix: &str) -> Vec<(String, clap::Command)> {
    command
        .get_subcommands()
        .filter(|sub| !sub.is_hide_set())
        .flat_map(|sub| {
            let name = format!("{prefix} {}", sub.get_name());
            if sub.has_subcommands() {
                leaves(sub, &name)
            } else {
                vec![(name, sub.clone())]
            }
        })
        .collect()
}
