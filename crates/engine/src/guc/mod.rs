//! Run-time configuration parameters (GUCs).
