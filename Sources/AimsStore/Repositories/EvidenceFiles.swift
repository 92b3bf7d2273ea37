import Crypto
import Foundation

/// Evidence files on disk, named by their SHA-256 digest: the same file uploaded twice is stored
/// once, and a download re-computes the digest so a file changed on disk is never served as evidence.
public struct EvidenceFiles: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public static func digest(_ bytes: [UInt8]) -> String { SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined() }

    func path(_ digest: String) -> URL {
        root.appendingPathComponent(String(digest.prefix(2))).appendingPathComponent(digest)
    }

    /// Stores the bytes (unless a file with the same digest is already there) and returns the digest.
    public func store(_ bytes: [UInt8]) throws -> String {
        let digest = Self.digest(bytes)
        let target = path(digest)
        if FileManager.default.fileExists(atPath: target.path), (try? read(digest)) != nil { return digest }
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = target.appendingPathExtension("part-\(UUID().uuidString)")
        try Data(bytes).write(to: temporary)
        _ = try? FileManager.default.removeItem(at: target)
        try FileManager.default.moveItem(at: temporary, to: target)
        return digest
    }

    public enum ReadError: Error, Equatable {
        case missing
        /// The bytes on disk no longer have the digest the database recorded.
        case altered(actual: String)
    }

    public func read(_ digest: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path(digest).path) else { throw ReadError.missing }
        let bytes = [UInt8](data)
        let actual = Self.digest(bytes)
        guard actual == digest else { throw ReadError.altered(actual: actual) }
        return bytes
    }
}
