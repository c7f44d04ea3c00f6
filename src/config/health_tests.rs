//! The `[health]` table and `[profiles.NAME.health]`: every key, the
//! defaults, the merge, and each error at its file:line:col.

use std::time::Duration;

use jiff::SignedDuration;

use super::*;

const ID_A: &str = "34970585d4964f2a8d6d9ea8d303398bin09";
const ID_B: &str = "44970585d4964f2a8d6d9ea8d303398bin09";
const ID_C: &str = "54970585d4964f2a8d6d9ea8d303398bin09";

/// Profile `b` (lines 1-4), for files whose health tables follow.
const PROFILE_B: &str = "[profiles.b]\nregion = \"cn-north-4\"\nproject_id = \"p\"\nauth = { type = \"token\", token_env = \"T\" }\n";

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

#[test]
fn every_key_of_the_health_table_is_read() {
    let config = load_text(&format!(
        "{ONE_PROFILE}[health]\nwarn_age = \"90m\"\ncrit_age = \"2d\"\nwindow_days = 14\n\
         warn_restore_lag = \"1h30m\"\ncrit_restore_lag = \"12h\"\nretention_days = 60\n\
         ignore = [\"{ID_A}\", \"{ID_B}\"]\nrefresh = \"15m\"\n"
    ))
    .unwrap();
    assert_eq!(
        config.profiles["a"].thresholds,
        Thresholds {
            warn_age: SignedDuration::from_mins(90),
            crit_age: hours(48),
            window_days: 14,
            warn_restore_lag: SignedDuration::from_mins(90),
            crit_restore_lag: hours(12),
            retention_days: 60,
            ignore: vec![ID_A.to_string(), ID_B.to_string()],
        }
    );
    assert_eq!(config.ui.health_refresh, Some(Duration::from_secs(15 * 60)));
}

#[test]
fn without_a_health_table_the_defaults_hold_and_refresh_is_off() {
    let defaults = Thresholds {
        warn_age: hours(26),
        crit_age: hours(50),
        window_days: 7,
        warn_restore_lag: hours(1),
        crit_restore_lag: hours(6),
        retention_days: 30,
        ignore: Vec::new(),
    };
    assert_eq!(Thresholds::default(), defaults);
    let config = load_text(ONE_PROFILE).unwrap();
    assert_eq!(config.profiles["a"].thresholds, defaults);
    assert_eq!(config.ui.health_refresh, None);
    // An empty table, and refresh "off", change nothing either.
    for table in [
        "[health]\n",
        "[health]\nrefresh = \"off\"\n",
        "[health]\nrefresh = \"OFF\"\n",
    ] {
        let config = load_text(&format!("{ONE_PROFILE}{table}")).unwrap();
        assert_eq!(config.profiles["a"].thresholds, defaults, "{table}");
        assert_eq!(config.ui.health_refresh, None, "{table}");
    }
}

#[test]
fn a_profile_table_overrides_only_the_keys_it_sets() {
    let config = load_text(&format!(
        "{ONE_PROFILE}[profiles.a.health]\ncrit_age = \"74h\"\nwindow_days = 3\n\
         {PROFILE_B}\
         [health]\nwarn_age = \"30h\"\ncrit_age = \"60h\"\nretention_days = 10\nwarn_restore_lag = \"2h\"\n"
    ))
    .unwrap();
    let a = &config.profiles["a"].thresholds;
    assert_eq!(a.warn_age, hours(30), "from [health]");
    assert_eq!(a.crit_age, hours(74), "its own");
    assert_eq!(a.window_days, 3, "its own");
    assert_eq!(a.retention_days, 10, "from [health]");
    assert_eq!(a.warn_restore_lag, hours(2), "from [health]");
    assert_eq!(a.crit_restore_lag, hours(6), "the default");
    let b = &config.profiles["b"].thresholds;
    assert_eq!(
        (b.warn_age, b.crit_age, b.window_days, b.retention_days),
        (hours(30), hours(60), 7, 10),
        "a profile without a table takes [health] whole"
    );
}

#[test]
fn a_profile_ignore_list_adds_to_the_global_one() {
    let config = load_text(&format!(
        "{ONE_PROFILE}[profiles.a.health]\nignore = [\"{ID_C}\", \"{ID_A}\"]\n\
         {PROFILE_B}\
         [health]\nignore = [\"{ID_A}\", \"{ID_B}\"]\n"
    ))
    .unwrap();
    assert_eq!(
        config.profiles["a"].thresholds.ignore,
        [ID_A, ID_B, ID_C],
        "global first, its own after, each once"
    );
    assert_eq!(config.profiles["b"].thresholds.ignore, [ID_A, ID_B]);
    // An empty list of its own takes nothing away.
    let config = load_text(&format!(
        "{ONE_PROFILE}[profiles.a.health]\nignore = []\n[health]\nignore = [\"{ID_A}\"]\n"
    ))
    .unwrap();
    assert_eq!(config.profiles["a"].thresholds.ignore, [ID_A]);
}

#[test]
fn bad_health_values_point_at_their_place() {
    // ONE_PROFILE is lines 1-4; [health] is line 5.
    let global = |body: &str| format!("{ONE_PROFILE}[health]\n{body}");
    let own = |body: &str| format!("{ONE_PROFILE}[profiles.a.health]\n{body}");
    let cases = [
        (
            global("warn_age = \"26 hourz\"\n"),
            ":6:12: health.warn_age must be a duration like \"26h\", \"90m\", \"2d\" or \"1h30m\", not \"26 hourz\"",
        ),
        (
            global("crit_age = \"-50h\"\n"),
            ":6:12: health.crit_age must be more than zero, not \"-50h\"",
        ),
        (
            global("warn_restore_lag = \"0m\"\n"),
            ":6:20: health.warn_restore_lag must be more than zero, not \"0m\"",
        ),
        (
            global("crit_age = \"400d\"\n"),
            ":6:12: health.crit_age must be at most 365d, not \"400d\"",
        ),
        (
            global("crit_age = \"1mo\"\n"),
            ":6:12: health.crit_age must be in weeks, days, hours or minutes (months and years vary in length), not \"1mo\"",
        ),
        (
            global("window_days = 0\n"),
            ":6:15: health.window_days must be between 1 and 90, not 0",
        ),
        (
            global("window_days = -7\n"),
            ":6:15: health.window_days must be between 1 and 90, not -7",
        ),
        (
            global("retention_days = 3651\n"),
            ":6:18: health.retention_days must be between 1 and 3650, not 3651",
        ),
        (
            global("warn_age = \"30h\"\ncrit_age = \"20h\"\n"),
            ":7:12: health.warn_age (30h) must not exceed health.crit_age (20h)",
        ),
        (
            global("crit_age = \"20h\"\nwarn_age = \"30h\"\n"),
            ":7:12: health.warn_age (30h) must not exceed health.crit_age (20h)",
        ),
        (
            global("warn_age = \"60h\"\n"),
            ":6:12: health.warn_age (60h) must not exceed health.crit_age (50h, the default)",
        ),
        (
            global("crit_restore_lag = \"30m\"\n"),
            ":6:20: health.warn_restore_lag (1h, the default) must not exceed health.crit_restore_lag (30m)",
        ),
        (
            global("refresh = \"30s\"\n"),
            ":6:11: health.refresh must be at least 1m, not \"30s\" (\"off\" turns the re-check off)",
        ),
        (
            global("refresh = \"soon\"\n"),
            ":6:11: health.refresh must be a duration like",
        ),
        (
            global(&format!("ignore = [\"{ID_A}\", \"in/09\"]\n")),
            ":6:51: health.ignore: the instance ID contains '/'",
        ),
        (
            global("ignore = [\"\"]\n"),
            ":6:11: health.ignore: the instance ID is empty",
        ),
        (
            global("wran_age = \"26h\"\n"),
            ":6:1: unknown field `wran_age`, expected one of `warn_age`, `crit_age`",
        ),
        (
            global("warn_age = 26\n"),
            ":6:12: health.warn_age must be a duration in quotes, like \"26h\"",
        ),
        (
            global("ignore = \"x\"\n"),
            ":6:10: health.ignore must be a list of instance IDs in quotes",
        ),
        (
            global("ignore = [3]\n"),
            ":6:11: health.ignore must be a list of instance IDs in quotes",
        ),
        (
            global("window_days = \"7\"\n"),
            ":6:15: health.window_days must be a whole number of days, like 7",
        ),
        (
            format!("health = 1\n{ONE_PROFILE}"),
            ":1:10: health must be a table, like [health]",
        ),
        (
            own("crit_age = \"-1h\"\n"),
            ":6:12: profile \"a\": health.crit_age must be more than zero, not \"-1h\"",
        ),
        (
            own("refresh = \"15m\"\n"),
            ":6:11: profile \"a\": health.refresh is set only in the top-level [health] table",
        ),
        (
            own("crit_agee = \"1h\"\n"),
            ":6:1: unknown field `crit_agee`",
        ),
        (
            own(&format!("ignore = [\"{ID_A}\", \"bad id\"]\n")),
            ":6:51: profile \"a\": health.ignore: the instance ID contains a space",
        ),
        (
            own("retention_days = 1.5\n"),
            ":6:18: profiles.a.health.retention_days must be a whole number of days, like 30",
        ),
        (
            format!("{ONE_PROFILE}[profiles.a.health]\nwarn_age = 1\n"),
            ":6:12: profiles.a.health.warn_age must be a duration in quotes, like \"26h\"",
        ),
    ];
    for (text, wanted) in &cases {
        let err = error_of(text);
        assert!(err.contains(wanted), "{wanted}\nin {err}\n{text}");
        assert!(err.contains("config.toml:"), "the file is named: {err}");
    }
}

#[test]
fn warn_over_crit_across_tables_points_at_the_later_key() {
    // The global warn_age (line 2) against the profile's crit_age (line 9):
    // the profile's is later.
    let text = format!(
        "[health]\nwarn_age = \"30h\"\n\n{ONE_PROFILE}[profiles.a.health]\ncrit_age = \"28h\"\n"
    );
    let err = error_of(&text);
    assert!(
        err.contains(
            ":9:12: profile \"a\": health.warn_age (30h, from [health]) must not exceed health.crit_age (28h)"
        ),
        "{err}"
    );
    // The profile first, then [health]: the global key is the later one,
    // and the message still says which profile it is about.
    let text = format!(
        "{ONE_PROFILE}[profiles.a.health]\ncrit_restore_lag = \"2h\"\n[health]\nwarn_restore_lag = \"3h\"\ncrit_restore_lag = \"4h\"\n"
    );
    let err = error_of(&text);
    assert!(
        err.contains(
            ":8:20: profile \"a\": health.warn_restore_lag (3h, from [health]) must not exceed health.crit_restore_lag (2h)"
        ),
        "{err}"
    );
    // Equal is fine: a rule goes straight to critical.
    let ok = load_text(&format!(
        "{ONE_PROFILE}[health]\nwarn_age = \"50h\"\nwarn_restore_lag = \"6h\"\n"
    ))
    .unwrap();
    assert_eq!(ok.profiles["a"].thresholds.warn_age, hours(50));
}

#[test]
fn the_example_files_health_table_states_the_defaults() {
    // Its [health] keys are commented out; with the comment marks taken
    // away they must still read as the defaults (plus its sample ignore
    // and refresh), so the example cannot drift from the code.
    let example = include_str!("../../config.example.toml");
    let table: String = example
        .split("\n[health]\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("config.example.toml has a [health] table")
        .lines()
        .map(|line| format!("{}\n", line.strip_prefix("# ").unwrap_or(line)))
        .collect();
    let config = load_text(&format!("{ONE_PROFILE}[health]\n{table}")).unwrap();
    assert_eq!(
        config.profiles["a"].thresholds,
        Thresholds {
            ignore: vec![ID_A.to_string()],
            ..Thresholds::default()
        },
        "{table}"
    );
    assert_eq!(config.ui.health_refresh, Some(Duration::from_secs(15 * 60)));
}
