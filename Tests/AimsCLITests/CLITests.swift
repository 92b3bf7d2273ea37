import Foundation
import Testing
import TestScratch

/// Runs the built `aims` binary, as a user or a pipeline would.
struct CLI {
    static let binary = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".build/debug/aims")

    let dataDir = Scratch.path("aims-cli")

    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, error: String) {
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw CLIMissing(description: "\(Self.binary.path) is missing: `swift test` and `swift build --build-tests` build it")
        }
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["AIMS_BCRYPT_COST"] = "4"
        env["AIMS_LOG_LEVEL"] = "error"
        env["AIMS_DATABASE_URL"] = nil
        env.merge(environment) { _, new in new }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let error = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}

struct CLIMissing: Error, CustomStringConvertible { var description: String }

@Suite("Command line")
struct CLITests {
    @Test("catalog export and show")
    func catalog() throws {
        let cli = CLI()
        let export = try cli.run(["catalog", "export", "--format", "json"])
        #expect(export.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(export.output.utf8)) as! [String: Any]
        let controls = json["controls"] as! [[String: Any]]
        #expect(controls.count == 38)
        #expect(controls.allSatisfy { $0["id"] != nil && $0["title"] != nil && $0["objective"] != nil })
        #expect((json["clauses"] as! [[String: Any]]).filter { $0["evidence"] != nil }.count == 32)
        let show = try cli.run(["catalog", "show", "A.6.2.4"])
        #expect(show.status == 0)
        #expect(show.output.contains("A.6.2.4 AI system verification and validation"))
        #expect(show.output.contains("Crosswalks:"))
        let unknown = try cli.run(["catalog", "show", "A.99"])
        #expect(unknown.status != 0)
        #expect(unknown.error.contains("A.99 is neither a clause nor an Annex A control"))
    }

    @Test("first set-up without the web: user, token, SoA export, audit verify")
    func setUp() throws {
        let cli = CLI()
        let user = try cli.run(["user", "create", "--email", "ada@example.org", "--role", "owner", "--org", "acme", "--org-name", "Acme AI",
                                "--password", "a long enough password", "--data-dir", cli.dataDir])
        #expect(user.status == 0, "\(user.error)")
        #expect(user.output.contains("Created organisation Acme AI (acme)"))
        let duplicate = try cli.run(["user", "create", "--email", "ada@example.org", "--role", "viewer", "--password", "a long enough password", "--data-dir", cli.dataDir])
        #expect(duplicate.status != 0)
        #expect(duplicate.error.contains("already exists"))
        let weak = try cli.run(["user", "create", "--email", "bob@example.org", "--role", "viewer", "--password", "short", "--data-dir", cli.dataDir])
        #expect(weak.status != 0)
        #expect(weak.error.contains("password must be at least 12 characters"))
        let badRole = try cli.run(["user", "create", "--email", "bob@example.org", "--role", "admin", "--data-dir", cli.dataDir])
        #expect(badRole.status != 0)

        let token = try cli.run(["token", "create", "--email", "ada@example.org", "--name", "pipeline", "--data-dir", cli.dataDir])
        #expect(token.status == 0)
        #expect(token.output.hasPrefix("aims_"))

        let soa = try cli.run(["soa", "export", "--format", "md", "--data-dir", cli.dataDir])
        #expect(soa.status == 0)
        #expect(soa.output.contains("| A.10.4 | Annex A | Customers |"))
        #expect(soa.output.contains("38 rows."))
        let csv = try cli.run(["soa", "export", "--format", "csv", "--data-dir", cli.dataDir])
        #expect(csv.output.split(separator: "\r\n").count == 39)
        let badFormat = try cli.run(["soa", "export", "--format", "pdf", "--data-dir", cli.dataDir])
        #expect(badFormat.status != 0)

        let verify = try cli.run(["audit", "verify", "--data-dir", cli.dataDir])
        #expect(verify.status == 0)
        #expect(verify.output.contains("acme: intact"))
    }

    @Test("a bad database URL is refused with a clear message")
    func badDatabaseURL() throws {
        let result = try CLI().run(["migrate"], environment: ["AIMS_DATABASE_URL": "mysql://nope"])
        #expect(result.status != 0)
        #expect(result.error.contains("AIMS_DATABASE_URL must start with postgres://"))
    }
}

@Suite("aims metrics")
struct MetricsCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("AimsMetricsTests/Fixtures")
    func path(_ name: String) -> String { Self.fixtures.appendingPathComponent(name).path }

    @Test("fairness writes an aims.metrics-report/1 JSON report and exits 1 on a failed threshold")
    func fairnessJSON() throws {
        let result = try CLI().run(["metrics", "fairness", "--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred", "--score", "score",
                                    "--sensitive", "sex", "--privileged", "sex=m", "--min-group-size", "1", "--format", "json"])
        #expect(result.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as! [String: Any]
        #expect(report["schema"] as? String == "aims.metrics-report/1")
        #expect(report["status"] as? String == "fail")
        let input = report["input"] as! [String: Any]
        let file = (input["files"] as! [[String: Any]])[0]
        #expect((file["sha256"] as? String)?.count == 64)
        #expect(file["rows"] as? Int == 8)
        let fairness = (report["fairness"] as! [[String: Any]])[0]
        let ratio = (fairness["disparities"] as! [[String: Any]]).first { $0["name"] as? String == "demographic_parity_ratio" }!
        #expect(ratio["value"] as? Double == 0.25)
        #expect(ratio["comparison"] as? String == ">=")
        #expect(!result.output.contains("NaN"))
    }

    @Test("passing thresholds exit 0; bad input exits 2 naming file, line and column")
    func exitCodes() throws {
        let thresholds = Scratch.path("thresholds", suffix: ".json")
        try #"{"demographic_parity_difference": 1, "demographic_parity_ratio": 0, "equalized_odds_difference": 1, "equalized_odds_ratio": 0, "equal_opportunity_difference": 1, "equal_opportunity_ratio": 0, "false_positive_rate_difference": 1, "false_negative_rate_difference": 1, "demographic_parity_difference_to_overall": 1, "demographic_parity_ratio_to_overall": 0, "equalized_odds_difference_to_overall": 1, "equalized_odds_ratio_to_overall": 0, "equal_opportunity_difference_to_overall": 1, "equal_opportunity_ratio_to_overall": 0, "false_positive_rate_difference_to_overall": 1, "false_negative_rate_difference_to_overall": 1}"#
            .write(toFile: thresholds, atomically: true, encoding: .utf8)
        let pass = try CLI().run(["metrics", "fairness", "--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred", "--sensitive", "race",
                                  "--min-group-size", "1", "--thresholds", thresholds])
        #expect(pass.status == 0, "\(pass.output)")
        #expect(pass.output.contains("PASS"))
        let bad = try CLI().run(["metrics", "fairness", "--input", path("small.csv"), "--label", "race", "--prediction", "y_pred", "--sensitive", "sex"])
        #expect(bad.status == 2)
        #expect(bad.error.contains("small.csv:2 column race: is not binary: white"))
        let missing = try CLI().run(["metrics", "drift", "--reference", path("nope.csv"), "--current", path("small.csv")])
        #expect(missing.status == 2)
        #expect(missing.error.contains("nope.csv: cannot be opened"))
    }

    @Test("--output through a symlink writes the link's target and keeps the link")
    func outputThroughSymlink() throws {
        let directory = Scratch.url("aims-out")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let target = directory.appendingPathComponent("report.json").path, link = directory.appendingPathComponent("latest.json").path
        try "old".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let result = try CLI().run(["metrics", "performance", "--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred",
                                    "--format", "json", "--output", link])
        #expect(result.status == 0, "\(result.error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(try String(contentsOfFile: target, encoding: .utf8).contains("aims.metrics-report/1"))
    }

    @Test("all: fairness, performance, drift and quality from one read, as the separate commands report them")
    func allInOneRead() throws {
        let common = ["--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred", "--format", "json"]
        let all = try CLI().run(["metrics", "all", "--sensitive", "sex", "--min-group-size", "1", "--split-column", "split", "--quality"] + common)
        let fairness = try CLI().run(["metrics", "fairness", "--sensitive", "sex", "--min-group-size", "1"] + common)
        let drift = try CLI().run(["metrics", "drift", "--input", path("small.csv"), "--split-column", "split", "--label", "y_true", "--prediction", "y_pred",
                                   "--format", "json"])
        #expect(all.status == 1 && fairness.status == 1, "\(all.error)")
        func object(_ text: String) throws -> [String: Any] { try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any] }
        let report = try object(all.output), alone = try object(fairness.output), drifted = try object(drift.output)
        #expect(report["kind"] as? String == "all")
        #expect(report["quality"] != nil)
        #expect(NSDictionary(dictionary: ["f": report["fairness"]!, "p": report["performance"]!]) == NSDictionary(dictionary: ["f": alone["fairness"]!, "p": alone["performance"]!]))
        #expect((report["drift"] as! NSArray) == (drifted["drift"] as! NSArray))
        let nothing = try CLI().run(["metrics", "all", "--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred", "--sensitive", "sex",
                                     "--split-column", "nope"])
        #expect(nothing.status == 2 && nothing.error.contains("nope"), "\(nothing.error)")
    }

    @Test("check against a server that cannot be reached, or is not an http(s) URL: a clear error, non-zero status")
    func checkServerErrors() throws {
        let system = UUID().uuidString
        // Port 1 on the loopback address: nothing listens there, so the connection is refused.
        let refused = try CLI().run(["check", "--system", system, "--input", path("small.csv"), "--server", "http://127.0.0.1:1", "--token", "t"])
        #expect(refused.status != 0)
        #expect(refused.error.contains("cannot reach http://127.0.0.1:1"), "\(refused.error)")
        let ftp = try CLI().run(["check", "--system", system, "--input", path("small.csv"), "--server", "ftp://example.org", "--token", "t"])
        #expect(ftp.status != 0)
        #expect(ftp.error.contains("--server is not an http or https URL"), "\(ftp.error)")
    }

    @Test("drift from one file split by a column; quality; performance in Markdown")
    func driftQualityPerformance() throws {
        let drift = try CLI().run(["metrics", "drift", "--input", path("small.csv"), "--split-column", "split", "--format", "json"])
        #expect(drift.status == 0)
        let report = try JSONSerialization.jsonObject(with: Data(drift.output.utf8)) as! [String: Any]
        #expect((report["drift"] as! [[String: Any]]).count == 5)
        #expect((report["datasetDrift"] as! [String: Any])["drifted"] as? Bool == false)
        let quality = try CLI().run(["metrics", "quality", "--input", path("small.csv"), "--format", "md"])
        #expect(quality.output.contains("## Data quality"))
        let performance = try CLI().run(["metrics", "performance", "--input", path("small.csv"), "--label", "y_true", "--prediction", "y_pred", "--score", "score",
                                         "--format", "md"])
        #expect(performance.status == 0)
        #expect(performance.output.contains("| roc_auc | 0.8125 |"))
    }
}
