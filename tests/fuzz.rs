//! A headless fuzz of the whole console: random keys (through the keymap, as the runtime maps
//! them), pastes, resizes from 0×0 to 300×100 and backend messages (answers to the commands
//! `update` sent, errors, stale generations and tails, ends of streams) go through `update`,
//! and the screen is drawn on a `TestBackend` of the current size. After every event the
//! invariants must hold: the navigation stack is never empty, every table's selection is in
//! range of its visible rows, and from every mode `esc` gets back to normal in a few keys.
//!
//! The run is seeded and repeatable. `OPSDECK_FUZZ_EVENTS` sets how many events (default
//! 1,000,000) and `OPSDECK_FUZZ_SEED` the seed; a failure prints the seed and event number.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod fuzzing;

use fuzzing::random::{Gen, Rng};
use fuzzing::world::World;

const DEFAULT_EVENTS: u64 = 1_000_000;
const DEFAULT_SEED: u64 = 0x0b5d_ec4f_u64;

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().replace('_', "").parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_events_never_panic_or_break_an_invariant() {
    let events = env_u64("OPSDECK_FUZZ_EVENTS", DEFAULT_EVENTS);
    let seed = env_u64("OPSDECK_FUZZ_SEED", DEFAULT_SEED);
    let mut world = World::new(Gen::new(Rng::new(seed)));
    for n in 0..events {
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| world.step(n)));
        if let Err(panic) = result {
            let why = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!(
                "seed {seed:#x}, event {n}: {why}\nlast events:\n{}",
                world.recent()
            );
        }
    }
    let stats = world.stats();
    eprintln!("fuzz: seed {seed:#x}, {events} events; {stats}");
    // The run reached the places worth fuzzing, not only the clusters list.
    if events >= DEFAULT_EVENTS {
        for (what, count) in world.coverage() {
            assert!(count > 0, "the fuzz never reached {what}: {stats}");
        }
    }
}
