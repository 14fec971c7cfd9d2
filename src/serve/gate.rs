//! How many searches run at once: one per core. A search is CPU work; more at once only share
//! the cores, so that every search under way takes longer and a long one (a phrase over common
//! words) takes far longer. Past the limit a search waits for a turn, in a blocking thread.

use std::sync::{Condvar, Mutex};

pub struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

/// A turn: given back when dropped.
pub struct Turn<'a>(&'a Gate);

impl Gate {
    pub fn new(turns: usize) -> Gate {
        Gate {
            free: Mutex::new(turns.max(1)),
            freed: Condvar::new(),
        }
    }

    /// Waits for a turn (blocking the thread).
    pub fn enter(&self) -> Turn<'_> {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = self.freed.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Turn(self)
    }
}

impl Drop for Turn<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn no_more_than_the_turns_run_at_once() {
        let gate = Arc::new(Gate::new(2));
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (gate, now, most) = (gate.clone(), now.clone(), most.clone());
                std::thread::spawn(move || {
                    let _turn = gate.enter();
                    let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                    most.fetch_max(n, Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    now.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }
}
