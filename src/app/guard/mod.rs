//! The one gate for changes: what an operation is, the read-only refusal, the confirmation,
//! the prompts that collect a change's input, and what happens when it finishes.

pub mod ecs_ops;
pub mod finish;
pub mod op;
pub mod prompt;
pub mod scale;
pub mod state;
