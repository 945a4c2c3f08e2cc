//! The audit journal: its records and entries.

pub mod entry;
