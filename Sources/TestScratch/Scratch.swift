import Foundation

/// Paths for the files and folders tests write, all inside one folder per test process that is
/// removed when the process exits: a test names what it needs and leaves the cleaning to this.
/// (Each test deleting its own files left hundreds behind in the system's temporary folder per
/// run, wherever an expectation failed or a test forgot.)
public enum Scratch {
    /// The process's folder, made at first use and removed at exit.
    public static let folder: URL = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("aims-tests-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: Scratch.folder) }
        return folder
    }()

    /// A new path in the folder, nothing created at it: `name`, a unique part, then `suffix`.
    public static func path(_ name: String, suffix: String = "") -> String {
        url(name, suffix: suffix).path
    }

    public static func url(_ name: String, suffix: String = "") -> URL {
        folder.appendingPathComponent("\(name)-\(UUID().uuidString)\(suffix)")
    }
}
