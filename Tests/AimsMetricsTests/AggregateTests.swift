import Foundation
import Testing

@testable import AimsMetrics
import TestScratch

@Suite("Aggregates: counts computed elsewhere, SQL to compute them, files read on every core")
struct AggregateTests {
    static let roles = ColumnRoles(label: "y_true", prediction: "y_pred", score: "score", sensitive: ["sex", "race"])

    func generated(rows: Int, seed: UInt64 = 42) throws -> String {
        let path = Scratch.path("aims-agg", suffix: ".csv")
        try PredictionLogGenerator(rows: rows, seed: seed).write(to: path)
        return path
    }

    /// The rows `aims metrics sql` would return for a log, written here from the log's own counts.
    func aggregateRows(_ aggregates: FairnessAggregates) -> [[String: Any]] {
        var rows: [[String: Any]] = []
        func add(_ dimension: String, _ group: String?, _ confusion: Confusion) {
            for (label, prediction, n) in [(1, 1, confusion.truePositives), (0, 1, confusion.falsePositives), (0, 0, confusion.trueNegatives), (1, 0, confusion.falseNegatives)] where n > 0 {
                rows.append(["dimension": dimension, "group_value": group.map { $0 as Any } ?? NSNull(), "label": label, "prediction": prediction, "n": n])
            }
        }
        for (dimension, groups) in aggregates.groups {
            for (group, confusion) in groups { add(dimension, group, confusion) }
        }
        add(AggregateInput.overallDimension, nil, aggregates.overall)
        return rows
    }

    @Test("fairness from aggregate rows (JSON array, JSON Lines, CSV) equals fairness from the log")
    func fairnessFromAggregates() throws {
        let log = try generated(rows: 3000)
        let options = FairnessOptions()
        let direct = try MetricsJobs.fairness(input: TableReader(path: log), roles: Self.roles, privileged: ["race": "white"], options: options)
        let (aggregates, _) = try FairnessReader(roles: Self.roles).read(TableReader(path: log))
        let rows = aggregateRows(aggregates)
        let json = try temporaryFile(String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self), suffix: ".json")
        let lines = try temporaryFile(try rows.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }.joined(separator: "\n"), suffix: ".jsonl")
        let csv = try temporaryFile("dimension,group_value,label,prediction,n\n" + rows.map { row in
            ["dimension", "group_value", "label", "prediction", "n"].map { key in row[key].flatMap { $0 is NSNull ? nil : "\"\($0)\"" } ?? "" }.joined(separator: ",")
        }.joined(separator: "\n"))
        let noScore = ColumnRoles(label: "y_true", prediction: "y_pred", sensitive: ["sex", "race"])
        let expected = try MetricsJobs.fairness(input: TableReader(path: log), roles: noScore, privileged: ["race": "white"], options: options)
        for file in [json, lines, csv] {
            let report = try MetricsJobs.fairness(aggregates: try AggregateInput(path: file), roles: noScore, privileged: ["race": "white"], options: options)
            #expect(report.fairness == expected.fairness, "\(file)")
            #expect(report.performance?.accuracy == expected.performance?.accuracy)
            #expect(report.input.files[0].rows == 3000)
        }
        #expect(direct.fairness?.count == 3)
    }

    @Test("ROC AUC and Brier score from score tallies equal the per-row values")
    func scoresFromAggregates() throws {
        let log = try generated(rows: 2000, seed: 3)
        let (aggregates, _) = try FairnessReader(roles: Self.roles).read(TableReader(path: log))
        // Score tallies need the true label per score; rebuild rows with label = prediction so each count sits in one cell.
        let scored = aggregates.scoredRows!
        var rows: [[String: Any]] = []
        for (score, tag) in zip(scored.scores, scored.tags) {
            let cell = scored.cells[Int(tag >> 1)], label = Int(tag & 1)
            for (dimension, group) in zip(["sex", "race", "sex|race"], cell + [cell.joined(separator: "|")]) {
                rows.append(["dimension": dimension, "group_value": group, "label": label, "prediction": label, "score": score, "n": 1])
            }
            rows.append(["dimension": "(overall)", "label": label, "prediction": label, "score": score, "n": 1])
        }
        let file = try temporaryFile(String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self), suffix: ".json")
        let (read, _) = try AggregateInput(path: file).fairness(attributes: ["sex", "race"])
        let fromTallies = read.rocAUCs(), fromRows = aggregates.rocAUCs()
        // A log's rows come sorted by score; rows in any other order are sorted for the AUCs, to the same values.
        #expect(zip(scored.scores, scored.scores.dropFirst()).allSatisfy { $0 <= $1 })
        var shuffled = scored
        var random = PredictionLogGenerator.SplitMix64(state: 4)
        for i in stride(from: shuffled.scores.count - 1, to: 0, by: -1) {
            let j = Int(random.next() % UInt64(i + 1))
            shuffled.scores.swapAt(i, j)
            shuffled.tags.swapAt(i, j)
        }
        let reordered = shuffled.rocAUCs(attributes: aggregates.attributes)
        #expect(reordered.overall == fromRows.overall && reordered.groups == fromRows.groups)
        #expect(fromRows.groups.keys.sorted() == ["race", "sex", "sex|race"])
        for (dimension, groups) in fromRows.groups {
            #expect(Set(groups.keys) == Set(fromTallies.groups[dimension]!.keys))
            for (group, auc) in groups {
                let other = fromTallies.groups[dimension]![group]!
                #expect(auc != nil && abs(auc! - other!) < 1e-12, "\(dimension) \(group)")
            }
        }
        #expect(abs(fromTallies.overall! - fromRows.overall!) < 1e-12)
        #expect(abs(read.brierSum! - aggregates.brierSum!) < 1e-9)
    }

    @Test("ROC AUC of every group from one sort of the scored rows equals each group's own sorted scores, ties included")
    func oneSortAUC() throws {
        // Scores rounded to two decimals: many ties, within and across groups.
        var random = PredictionLogGenerator.SplitMix64(state: 11)
        var text = "y,p,s,a,b\n"
        for _ in 0..<20_000 {
            let a = ["x", "y", "z"][Int(random.uniform() * 3)], b = random.uniform() < 0.3 ? "u" : "v"
            let y = random.uniform() < (a == "x" ? 0.3 : 0.6) ? 1 : 0
            let score = ((random.uniform() * 0.7 + Double(y) * 0.3) * 100).rounded() / 100
            text += "\(y),\(score >= 0.5 ? 1 : 0),\(score),\(a),\(b)\n"
        }
        text += "1,1,0.5,w,u\n"  // a group with positives only: no AUC
        let path = try temporaryFile(text)
        let (aggregates, _) = try FairnessReader(roles: ColumnRoles(label: "y", prediction: "p", score: "s", sensitive: ["a", "b"])).read(TableReader(path: path))
        let aucs = aggregates.rocAUCs()
        // The same AUCs the slow way: each group's scores on their own.
        var perGroup: [String: [String: ScoreCounts]] = [:], overall = ScoreCounts()
        for line in text.split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            let (y, s) = (f[0] == "1", Double(f[2])!)
            let tally = ScoreTally(score: s, positives: y ? 1 : 0, negatives: y ? 0 : 1)
            for (key, group) in [("a", f[3]), ("b", f[4]), ("a|b", f[3] + "|" + f[4])] { perGroup[key, default: [:]][group, default: ScoreCounts()].add(tally) }
            overall.add(tally)
        }
        #expect(aucs.overall == overall.rocAUC)
        for (key, groups) in perGroup {
            for (group, counts) in groups { #expect(aucs.groups[key]?[group] == .some(counts.rocAUC), "\(key) \(group)") }
        }
        #expect(aucs.groups["a"]!["w"]! == nil)
    }

    @Test("aggregate rows that do not add up, name unknown attributes or lack counts are refused")
    func badAggregates() throws {
        let missingOverall = try temporaryFile(#"[{"dimension":"sex","group_value":"f","label":1,"prediction":1,"n":3}]"#, suffix: ".json")
        #expect(throws: MetricsInputError.self) { try AggregateInput(path: missingOverall).fairness(attributes: ["sex"]) }
        let mismatch = try temporaryFile(#"[{"dimension":"sex","group_value":"f","label":1,"prediction":1,"n":3},{"dimension":"(overall)","label":1,"prediction":1,"n":4}]"#, suffix: ".json")
        #expect(throws: MetricsInputError.self) { try AggregateInput(path: mismatch).fairness(attributes: ["sex"]) }
        let unknown = try temporaryFile(#"[{"dimension":"age","group_value":"f","label":1,"prediction":1,"n":3}]"#, suffix: ".json")
        do {
            _ = try AggregateInput(path: unknown).fairness(attributes: ["sex"])
            Issue.record("an unknown dimension was accepted")
        } catch let error as MetricsInputError {
            #expect(error.column == "dimension" && error.line == 1)
        }
        let fractional = try temporaryFile("dimension,group_value,label,prediction,n\n(overall),,1,1,2.5\n")
        #expect(throws: MetricsInputError.self) { try AggregateInput(path: fractional).fairness(attributes: []) }
    }

    @Test("drift from category counts and histograms")
    func driftFromAggregates() throws {
        let rows: [[String: Any]] = [
            ["column_name": "sex", "window_name": "reference", "value": "f", "n": 500], ["column_name": "sex", "window_name": "reference", "value": "m", "n": 500],
            ["column_name": "sex", "window_name": "current", "value": "f", "n": 300], ["column_name": "sex", "window_name": "current", "value": "m", "n": 700],
            ["column_name": "sex", "window_name": "current", "n": 10],
            ["column_name": "age", "window_name": "reference", "bin": 0, "bin_min": 0.0, "bin_max": 4.0, "bins": 2, "n": 600],
            ["column_name": "age", "window_name": "reference", "bin": 1, "bin_min": 0.0, "bin_max": 4.0, "bins": 2, "n": 400],
            ["column_name": "age", "window_name": "current", "bin": 1, "bin_min": 0.0, "bin_max": 4.0, "bins": 2, "n": 1000],
        ]
        let file = try temporaryFile(String(decoding: try JSONSerialization.data(withJSONObject: rows), as: UTF8.self), suffix: ".json")
        let report = try MetricsJobs.drift(aggregates: try AggregateInput(path: file), options: DriftOptions())
        let sex = report.drift!.first { $0.column == "sex" }!, age = report.drift!.first { $0.column == "age" }!
        #expect(sex.type == "categorical" && sex.currentMissing == 10 && sex.referenceCount == 1000)
        var reference = ColumnSample(), current = ColumnSample()
        reference.categories = ["f": 500, "m": 500]
        current.categories = ["f": 300, "m": 700]
        current.missing = 10
        #expect(sex.tests == DriftCalculator.compare(column: "sex", numeric: false, reference: reference, current: current, options: DriftOptions()).tests)
        #expect(age.type == "numerical" && age.decidingTest == "jensenshannon" && age.binEdges == [0, 2, 4])
        // Shares 0.6/0.4 against 0/1: the empty current bin gets 0.0001 for PSI and KL, none for Jensen–Shannon.
        let psi = age.tests.first { $0.name == "psi" }!.value!
        #expect(abs(psi - ((0.6 - 0.0001) * log(0.6 / 0.0001) + (0.4 - 1) * log(0.4 / 1))) < 1e-12)
        let js = age.tests.first { $0.name == "jensenshannon" }!.value!
        #expect(abs(js - Statistics.jensenShannon([0.6, 0.4], [0, 1])) < 1e-15)
        #expect(report.datasetDrift?.drifted == true)
    }

    @Test("SQL for each dialect quotes names, filters the window and escapes quotes in names and values")
    func sql() throws {
        let roles = ColumnRoles(label: "y_true", prediction: "y_pred", score: "score", sensitive: ["sex", "race"], filter: ("split", "current"))
        let postgres = try AggregateSQL(dialect: .postgres, table: "analytics.predictions").fairness(roles: roles)
        #expect(postgres.contains(#"FROM "analytics"."predictions""#))
        #expect(postgres.contains(#"WHERE CAST("split" AS TEXT) = 'current'"#))
        #expect(postgres.contains("ROUND(CAST(\"score\" AS NUMERIC), 3) AS score"))
        #expect(postgres.contains("SELECT 'sex|race', COALESCE(a0, '(missing)') || '|' || COALESCE(a1, '(missing)')"))
        #expect(postgres.contains("'(overall)'"))
        let bigquery = try AggregateSQL(dialect: .bigquery, table: "my-project.ml.log").fairness(roles: roles)
        #expect(bigquery.contains("FROM `my-project.ml.log`") && bigquery.contains("CAST(`y_true` AS INT64)"))
        let spark = try AggregateSQL(dialect: .spark, table: "log").drift(splitColumn: "split", reference: "reference", current: "current",
                                                                           categorical: ["region"], numerical: ["income"])
        #expect(spark.contains("CAST(`income` AS DOUBLE)") && spark.contains("CROSS JOIN bounds") && spark.contains("column_name"))
        #expect(throws: AggregateSQL.SQLError.self) { try AggregateSQL(dialect: .postgres, table: "t; DROP TABLE x") }
        // Quotes and backslashes in names and values are escaped as each engine reads them, so a
        // value cannot end its literal early.
        let odd = ColumnRoles(label: "y", prediction: "p", sensitive: [#"a"b`c\d"#], filter: ("s", #"x' OR '1'='1 \"#))
        let escaped = try AggregateSQL(dialect: .postgres, table: "t").fairness(roles: odd)
        #expect(escaped.contains(#"CAST("a""b`c\d" AS TEXT)"#) && escaped.contains(#"= 'x'' OR ''1''=''1 \'"#))
        let sparkEscaped = try AggregateSQL(dialect: .spark, table: "t").fairness(roles: odd)
        #expect(sparkEscaped.contains(#"CAST(`a"b``c\d` AS STRING)"#) && sparkEscaped.contains(#"= 'x\' OR \'1\'=\'1 \\'"#))
        let bigqueryEscaped = try AggregateSQL(dialect: .bigquery, table: "t").fairness(roles: odd)
        #expect(bigqueryEscaped.contains(#"CAST(`a"b\`c\\d` AS STRING)"#) && bigqueryEscaped.contains(#"= 'x\' OR \'1\'=\'1 \\'"#))
        #expect(throws: AggregateSQL.SQLError.self) {
            try AggregateSQL(dialect: .postgres, table: "t").fairness(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["a\nb"]))
        }
        #expect(throws: AggregateSQL.SQLError.self) {
            try AggregateSQL(dialect: .bigquery, table: "t").fairness(roles: ColumnRoles(label: "y", prediction: "p", sensitive: ["a"], filter: ("s", "x\ny")))
        }
    }

    @Test("one read for fairness, drift and quality gives the reports the separate jobs give")
    func oneReadForAll() throws {
        let log = try generated(rows: 60_000, seed: 5)
        let roles = ColumnRoles(label: "y_true", prediction: "y_pred", score: "score", sensitive: ["sex", "race"])
        var options = DriftOptions()
        options.roles = DriftOptions.roles(label: "y_true", prediction: "y_pred", score: "score")
        let reader = DriftReader(columns: ["age", "income", "region", "score", "y_pred", "y_true"])
        let split = DriftReader.Split(column: "split")
        let all = try MetricsJobs.analyse(input: TableReader(path: log), kind: "all", fairness: .init(roles: roles, privileged: ["race": "white"]),
                                          drift: .init(reader: reader, split: split, options: options), quality: .init())
        let fairness = try MetricsJobs.fairness(input: TableReader(path: log), roles: roles, privileged: ["race": "white"], options: FairnessOptions())
        let drift = try MetricsJobs.drift(source: .split(TableReader(path: log), column: "split", reference: "reference", current: "current"),
                                          reader: reader, options: options)
        let quality = try MetricsJobs.quality(input: TableReader(path: log), schema: [:])
        #expect(all.fairness == fairness.fairness && all.performance == fairness.performance)
        #expect(all.drift == drift.drift && all.datasetDrift == drift.datasetDrift)
        #expect(all.quality == quality.quality)
        #expect(all.input.files == fairness.input.files && all.input.files[0].sha256 == drift.input.files[0].sha256)
        #expect(all.drift!.first { $0.column == "score" }?.role == "score")
        #expect(all.status == (fairness.status == "fail" || drift.status == "fail" || quality.status == "fail" ? "fail" : "pass"))
        #expect(Set(all.failures) == Set(fairness.failures + drift.failures + quality.failures))

        // Each thread's numbers are joined and sorted: any number of threads gives the same sorted windows.
        var three = LogAnalysis(drift: reader, split: split)
        three.threads = 3
        var one = three
        one.threads = 1
        let (a, b) = (try three.read(TableReader(path: log)).drift!, try one.read(TableReader(path: log)).drift!)
        #expect(a.reference.map(\.numbers) == b.reference.map(\.numbers) && a.current.map(\.numbers) == b.current.map(\.numbers))
        let numeric = zip(a.numeric + a.numeric, a.reference + a.current).filter(\.0).map(\.1)
        #expect(numeric.count == 10 && numeric.allSatisfy { $0.sorted && $0.numbers == $0.numbers.sorted() && $0.numbers.count > 20_000 })
    }

    @Test("duplicate rows are counted across threads: the same count on one thread or three, and as a set of the rows counts them")
    func duplicatesAcrossParts() throws {
        let log = try generated(rows: 90_000)
        let columns = ["split", "sex", "race", "region", "y_true", "y_pred"]
        let reader = DriftReader(columns: columns)
        let counts = try [1, 3].map { threads in
            var analysis = LogAnalysis(quality: reader)
            analysis.threads = threads
            return try analysis.read(TableReader(path: log)).quality!.duplicates
        }
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").dropFirst()
        let picked = lines.map { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            return [1, 2, 3, 4, 8, 9].map { String(fields[$0]) }
        }
        #expect(counts[0] == counts[1])
        #expect(counts[0] == picked.count - Set(picked).count && counts[0] > 80_000)
    }

    @Test("a CSV file read on several threads gives the same counts and score sums, and errors keep their line numbers")
    func parallelParts() throws {
        let log = try generated(rows: 90_000)
        var one = FairnessReader(roles: Self.roles)
        one.threads = 1
        var three = one
        three.threads = 3
        let (a, digestA) = try one.read(TableReader(path: log))
        let (b, digestB) = try three.read(TableReader(path: log))
        #expect(FileWindows(path: log, start: 0, end: TableReader(path: log).fileSize, size: TableReader(path: log).windowSize).count > 6)
        #expect(digestA == digestB && a.rows == 90_000 && b.rows == 90_000)
        #expect(a.groups == b.groups && a.overall == b.overall)
        let (aucA, aucB) = (a.rocAUCs(), b.rocAUCs())
        #expect(aucA.overall == aucB.overall && aucA.groups == aucB.groups && aucA.groups["sex|race"]!.count > 1)
        // Summed over the rows sorted by score: the same to the bit whichever thread read which rows.
        #expect(a.brierSum != nil && a.brierSum == b.brierSum && a.calibration == b.calibration)

        // A bad label near the end is reported at its own line, whichever part reads it.
        var text = try String(contentsOfFile: log, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var fields = lines[85_000].split(separator: ",").map(String.init)
        fields[8] = "maybe"
        lines[85_000] = fields.joined(separator: ",")
        text = lines.joined(separator: "\n")
        try text.write(toFile: log, atomically: true, encoding: .utf8)
        do {
            _ = try three.read(TableReader(path: log))
            Issue.record("a non-binary label was accepted")
        } catch let error as MetricsInputError {
            #expect(error.line == 85_001 && error.column == "y_true")
        }
        var skipping = three
        skipping.badRows = .skip
        #expect(try skipping.read(TableReader(path: log)).aggregates.skippedRows == 1)
    }

    @Test("JSON Lines read on several threads gives the counts of one pass; errors keep their line numbers")
    func jsonLinesInParts() throws {
        var lines: [String] = []
        for i in 0..<24_000 {
            lines.append(#"{"y_true": \#(i % 2), "y_pred": \#(i % 3 == 0 ? "true" : "false"), "sex": "\#(i % 5 == 0 ? "m" : "f")", "score": \#(Double(i % 997) / 997)}"#)
            if i == 12_000 { lines.append("   ") }  // a blank line still counts as a line
        }
        let path = try temporaryFile(lines.joined(separator: "\n") + "\n", suffix: ".jsonl")
        var three = FairnessReader(roles: ColumnRoles(label: "y_true", prediction: "y_pred", score: "score", sensitive: ["sex"]))
        three.threads = 3
        var one = three
        one.threads = 1
        let (a, digestA) = try three.read(TableReader(path: path)), (b, digestB) = try one.read(TableReader(path: path))
        #expect(FileWindows(path: path, start: 0, end: TableReader(path: path).fileSize, size: TableReader(path: path).windowSize).count > 3)
        #expect(a.groups == b.groups && a.rows == 24_000 && digestA == digestB && a.rocAUCs().overall == b.rocAUCs().overall)
        lines[20_000] = "{\"y_true\": 1, \"y_pred\": 1, \"sex\": \"f\", \"score\": \"high\"}"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try three.read(TableReader(path: path))
            Issue.record("a score that is not a number was accepted")
        } catch let error as MetricsInputError {
            #expect(error.line == 20_001 && error.column == "score", "\(error)")
        }
    }

    @Test("a file whose quoted fields hold line breaks is read in one pass, with the same counts and line numbers")
    func quotedLineBreaks() throws {
        var rows = ["y_true,y_pred,sex,note"]
        for i in 0..<300_000 { rows.append(i == 249_999 ? "1,x,f,\"a\nb\"" : "\(i % 2),\(i % 3 == 0 ? 1 : 0),\(i % 5 == 0 ? "m" : "f"),\"a\nb\"") }
        let path = try temporaryFile(rows.joined(separator: "\n") + "\n")
        var reader = FairnessReader(roles: ColumnRoles(label: "y_true", prediction: "y_pred", sensitive: ["sex"]))
        reader.threads = 3
        reader.badRows = .skip
        var single = reader
        single.threads = 1
        let (a, _) = try reader.read(TableReader(path: path)), (b, _) = try single.read(TableReader(path: path))
        #expect(a.groups == b.groups && a.rows == 299_999 && a.skippedRows == 1)
        reader.badRows = .fail
        do {
            _ = try reader.read(TableReader(path: path))
            Issue.record("a non-binary prediction was accepted")
        } catch let error as MetricsInputError {
            #expect(error.line == 2 + 2 * 249_999 && error.column == "y_pred")
        }
    }
}
