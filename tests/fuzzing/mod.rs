//! The parts of the fuzz: the generator (a seeded PRNG, keys, rows) and the world (the
//! state, a backend that answers commands, the invariants).

pub mod random;
pub mod rows;
pub mod world;
