import Crypto
import Foundation
import Synchronization

/// A file's SHA-256, hashed by the threads that scan the file, a window at a time as they go:
/// whichever thread is due for the next window and finds no other hashing takes it. The digest
/// keeps pace with the scan and needs no thread of its own: as a third thread on two cores it
/// shared one part's core for the whole read, and the other part's core went idle at the end
/// while that part caught up.
///
/// Each window is read into one buffer and hashed there, while it is in the cache. Mapping each
/// window instead (to hash the kernel's cached pages without a copy) cost more: setting up and
/// tearing down the mapping of every page took 6 % of the CPU on 10M rows, the copy 4 %.
final class FileDigest: Sendable {
    private struct State {
        var hasher = SHA256()
        /// Bytes hashed so far, from the file's start.
        var hashed = 0
        var failure: (any Error)?
        /// The window being hashed.
        let buffer: UnsafeMutableRawBufferPointer
    }

    private let state: Mutex<State>
    private let file: Int32
    private let path: String
    private let size: Int
    private let window: Int

    init(path: String, window: Int = 1 << 18) throws {
        let file = open(path, O_RDONLY)
        guard file >= 0 else { throw MetricsInputError(file: path, problem: "cannot be opened") }
        var status = stat()
        guard fstat(file, &status) == 0 else {
            close(file)
            throw MetricsInputError(file: path, problem: "cannot be read (\(String(cString: strerror(errno))))")
        }
        (self.file, self.path, self.size, self.window) = (file, path, Int(status.st_size), window)
        state = Mutex(State(buffer: .allocate(byteCount: window, alignment: 64)))
    }

    deinit {
        close(file)
        state.withLock { $0.buffer.deallocate() }
    }

    /// Hashes windows while fewer than `bytes` are hashed and no other thread is hashing one (a
    /// scanning thread calls it with the bytes scanned so far, and goes back to scanning at once
    /// when another thread is hashing).
    func keepUp(with bytes: Int) {
        while state.withLockIfAvailable({ self.hashWindow(&$0, below: bytes) }) == true {}
    }

    /// Hashes the rest, a window at a time, waiting its turn when another thread is hashing one.
    func hashRest() {
        while state.withLock({ self.hashWindow(&$0, below: .max) }) {}
    }

    /// Stops hashing: the read failed, and a failed read reports no digest.
    func abandon() {
        state.withLock { state in
            if state.failure == nil { state.failure = AbandonedPart() }
        }
    }

    /// The digest in hexadecimal, once every window is hashed (hashing what is left here).
    func finish() throws -> String {
        hashRest()
        return try state.withLock { state in
            if let failure = state.failure { throw failure }
            return TableReader.hex(state.hasher.finalize())
        }
    }

    /// Hashes the next window if fewer than `bytes` are hashed; false when there was none to hash.
    private func hashWindow(_ state: inout State, below bytes: Int) -> Bool {
        guard state.failure == nil, state.hashed < min(bytes, size) else { return false }
        let length = min(window, size - state.hashed)
        let got = pread(file, state.buffer.baseAddress, length, off_t(state.hashed))
        guard got > 0 else {
            state.failure = MetricsInputError(file: path, problem: got == 0 ? "changed while it was read" : "cannot be read (\(String(cString: strerror(errno))))")
            return false
        }
        state.hasher.update(bufferPointer: UnsafeRawBufferPointer(start: state.buffer.baseAddress, count: got))
        state.hashed += got
        return true
    }
}
