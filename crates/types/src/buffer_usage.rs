//! Buffer usage counts (PostgreSQL's `BufferUsage`), the shape shared by the buffer
//! pool that counts them per backend and EXPLAIN (ANALYZE, BUFFERS) that prints them.
//!
//! Entry point: [`BufferUsage`].

/// Counts of shared buffer accesses, in buffers (8 KB pages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BufferUsage {
    /// Buffers found in shared buffers.
    pub shared_hit: u64,
    /// Buffers read from their relation file.
    pub shared_read: u64,
    /// Buffers that went from clean to dirty.
    pub shared_dirtied: u64,
    /// Dirty buffers this backend wrote out to reuse their frame.
    pub shared_written: u64,
}

impl BufferUsage {
    /// The usage between `earlier` and `self` (both from [`current`]).
    pub fn since(&self, earlier: &BufferUsage) -> BufferUsage {
        BufferUsage {
            shared_hit: self.shared_hit.saturating_sub(earlier.shared_hit),
            shared_read: self.shared_read.saturating_sub(earlier.shared_read),
            shared_dirtied: self.shared_dirtied.saturating_sub(earlier.shared_dirtied),
            shared_written: self.shared_written.saturating_sub(earlier.shared_written),
        }
    }

    /// Adds `other` to `self`.
    pub fn add(&mut self, other: &BufferUsage) {
        self.shared_hit += other.shared_hit;
        self.shared_read += other.shared_read;
        self.shared_dirtied += other.shared_dirtied;
        self.shared_written += other.shared_written;
    }

    /// True when nothing was counted.
    pub fn is_empty(&self) -> bool {
        *self == BufferUsage::default()
    }

    /// EXPLAIN's `Buffers: shared hit=H read=R dirtied=D written=W` line, naming only
    /// the non-zero counts (`show_buffer_usage` in PostgreSQL's `explain.c`); `None` when
    /// all are zero.
    pub fn explain_text(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut line = String::from("Buffers: shared");
        for (name, n) in [
            ("hit", self.shared_hit),
            ("read", self.shared_read),
            ("dirtied", self.shared_dirtied),
            ("written", self.shared_written),
        ] {
            if n > 0 {
                line.push_str(&format!(" {name}={n}"));
            }
        }
        Some(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_names_only_nonzero_counts() {
        assert_eq!(BufferUsage::default().explain_text(), None);
        let u = BufferUsage {
            shared_hit: 3,
            shared_read: 0,
            shared_dirtied: 1,
            shared_written: 0,
        };
        assert_eq!(
            u.explain_text().as_deref(),
            Some("Buffers: shared hit=3 dirtied=1")
        );
    }
}
