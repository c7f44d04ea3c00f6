//! How a backup's facts read for people: the one place that formats a
//! time, a size and a status, for every screen and every text output.
//! Pure (no terminal, no clock read): it sits below `tui` and `output`,
//! which only decide where the words go and how a colour role looks.

pub mod size;
pub mod status;
pub mod time;
