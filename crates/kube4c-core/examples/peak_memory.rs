//! Peak heap memory of a full check, as a multiple of the input size.
//! `cargo run --release -p kube4c-core --example peak_memory -- FILE...`
//! Counts every allocation through a wrapping global allocator; the input text itself is
//! allocated before the count starts, so the figure is what checking adds.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(l) };
        if !p.is_null() {
            let now = CURRENT.fetch_add(l.size(), Relaxed) + l.size();
            PEAK.fetch_max(now, Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) };
        CURRENT.fetch_sub(l.size(), Relaxed);
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, l, new) };
        if !q.is_null() {
            if new > l.size() {
                let now = CURRENT.fetch_add(new - l.size(), Relaxed) + new - l.size();
                PEAK.fetch_max(now, Relaxed);
            } else {
                CURRENT.fetch_sub(l.size() - new, Relaxed);
            }
        }
        q
    }
}

#[global_allocator]
static A: Counting = Counting;

fn main() {
    println!(
        "{:<45} {:>11} {:>11} {:>7}",
        "file", "input B", "peak B", "ratio"
    );
    for path in std::env::args().skip(1) {
        let text = std::fs::read_to_string(&path).expect("read");
        let base = CURRENT.load(Relaxed);
        PEAK.store(base, Relaxed);
        let report = kube4c_core::check(&text, &kube4c_core::Options::default());
        let peak = PEAK.load(Relaxed) - base;
        drop(report);
        let name = std::path::Path::new(&path)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        println!(
            "{:<45} {:>11} {:>11} {:>6.2}x",
            name,
            text.len(),
            peak,
            peak as f64 / text.len() as f64
        );
    }
}
