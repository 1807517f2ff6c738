//! automerge-repo wire protocol (placeholder, being written).
