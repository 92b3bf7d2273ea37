import Foundation
import Testing

@testable import AimsCore

@Suite("Register rules and validation")
struct RegisterTests {
    let catalog = try! Catalog.bundled()
    var context: RuleContext { RuleContext(catalog: catalog) }

    func soaInput(_ changes: [String: JSONValue]) -> JSONValue {
        var base: [String: JSONValue] = ["controlId": "A.6.2.4", "source": "annex-a", "title": "AI system verification and validation",
                                         "implementationStatus": "not-started"]
        base.merge(changes) { _, new in new }
        return .object(base)
    }

    @Test("an SoA decision needs a justification, whichever way it goes")
    func soaJustificationBothWays() throws {
        for applicable in [true, false] {
            let failure = #expect(throws: ValidationFailure.self) {
                try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["applicable": .bool(applicable)]), previous: nil, context: context)
            }
            #expect(failure?.issues.map(\.field) == ["justification"])
        }
        let decided = try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["applicable": true, "justification": "Needed for risk R-1"]), previous: nil, context: context)
        #expect(decided.applicable == true)
    }

    @Test("changing applicability without a new justification is rejected")
    func soaFlipNeedsNewJustification() throws {
        let previous = try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["applicable": true, "justification": "Needed"]), previous: nil, context: context)
        let failure = #expect(throws: ValidationFailure.self) {
            try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["applicable": false, "justification": "Needed"]), previous: previous, context: context)
        }
        #expect(failure?.issues == [FieldIssue("justification", "must be rewritten when applicability changes")])
        let flipped = try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["applicable": false, "justification": "No such systems"]), previous: previous, context: context)
        #expect(flipped.applicable == false)
    }

    @Test("Annex A rows keep their control; custom controls stay outside Annex A's ids")
    func soaIdentity() throws {
        let failure = #expect(throws: ValidationFailure.self) {
            try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["controlId": "A.99.1"]), previous: nil, context: context)
        }
        #expect(failure?.issues.first?.field == "controlId")
        let custom = #expect(throws: ValidationFailure.self) {
            try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["controlId": "A.2.2", "source": "custom", "title": "Mine"]), previous: nil, context: context)
        }
        #expect(custom?.issues.first?.field == "controlId")
        let ok = try SoAEntry.spec.decode(SoAEntry.self, from: soaInput(["controlId": "X.1", "source": "custom", "title": "Model cards"]), previous: nil, context: context)
        #expect(ok.source == .custom)
    }

    @Test("field errors name every field at fault")
    func fieldIssues() {
        let input: JSONValue = ["title": "", "origin": "sideways", "category": "legal-regulatory", "relevant": "yes", "reviewDate": "2026-02-30", "colour": "red"]
        let issues = ContextIssue.spec.issues(in: input)
        let fields = Set(issues.map(\.field))
        #expect(fields == ["title", "origin", "relevant", "reviewDate", "colour", "description", "effectOnAims", "rationale"])
        #expect(issues.first { $0.field == "origin" }?.message.contains("internal, external") == true)
        #expect(issues.first { $0.field == "reviewDate" }?.message.contains("YYYY-MM-DD") == true)
    }

    @Test("approved scope needs approver and date; exclusions need a justification")
    func scopeRules() {
        let input: JSONValue = ["title": "Scope", "boundaries": "All", "aiRoles": ["provider"], "status": "approved", "exclusions": "Marketing"]
        let failure = #expect(throws: ValidationFailure.self) { try ScopeStatement.spec.decode(ScopeStatement.self, from: input, previous: nil, context: context) }
        #expect(Set(failure?.issues.map(\.field) ?? []) == ["exclusionJustification", "approvedBy", "approvedOn"])
    }

    @Test("calendar dates")
    func dates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2025-02-29") == nil)
        #expect(CalendarDate("2025-13-01") == nil)
        #expect(CalendarDate("25-01-01") == nil)
        #expect(CalendarDate("2026-01-31")! < CalendarDate("2026-02-01")!)
    }
}

@Suite("List queries")
struct ListQueryTests {
    func record(_ title: String, _ data: JSONValue, updated: TimeInterval = 0) -> StoredRecord {
        StoredRecord(id: UUID(), organisationID: UUID(), kind: "context-issue", version: 1, title: title, data: data,
                     createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: updated), createdBy: "t", updatedBy: "t")
    }

    @Test("filters, search, sort and pages")
    func query() throws {
        let records = (1...12).map { i in
            record("Issue \(i)", ["title": .string("Issue \(i)"), "origin": i % 2 == 0 ? "internal" : "external", "relevant": .bool(i <= 3),
                                  "description": .string(i == 7 ? "mentions Drift" : "plain")])
        }
        var query = try ListQuery.parse([("origin", "internal"), ("sort", "-title"), ("per_page", "4")], spec: ContextIssue.spec)
        let page = query.page(records)
        #expect(page.total == 6)
        #expect(page.items.map(\.title) == ["Issue 12", "Issue 10", "Issue 8", "Issue 6"])
        #expect(page.pageCount == 2)
        query.page = 2
        #expect(query.page(records).items.map(\.title) == ["Issue 4", "Issue 2"])
        let search = try ListQuery.parse([("q", "drift")], spec: ContextIssue.spec)
        #expect(search.matching(records).map(\.title) == ["Issue 7"])
        let relevant = try ListQuery.parse([("relevant", "true")], spec: ContextIssue.spec)
        #expect(relevant.matching(records).count == 3)
    }

    @Test("unknown filters and bad paging are errors naming the parameter")
    func badParameters() {
        let failure = #expect(throws: ValidationFailure.self) {
            try ListQuery.parse([("colour", "red"), ("page", "0"), ("sort", "nope"), ("per_page", "9999")], spec: ContextIssue.spec)
        }
        #expect(Set(failure?.issues.map(\.field) ?? []) == ["colour", "page", "sort", "per_page"])
    }
}
