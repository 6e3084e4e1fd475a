//! `okr validate` for a person at a terminal (being written).
