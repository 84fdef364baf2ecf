//! Built-in data types' values with PostgreSQL's text input/output rules (PostgreSQL's
//! `utils/adt`): integers, floats, numeric, booleans, bytea, dates and times.
