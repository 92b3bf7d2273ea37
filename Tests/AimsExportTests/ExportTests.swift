import AimsCore
import Foundation
import Testing

@testable import AimsExport

@Suite("Register exports")
struct ExportTests {
    let record = StoredRecord(
        id: UUID(uuidString: "00000000-0000-0000-0000-000000000001")!, organisationID: UUID(), kind: "context-issue", version: 3, title: "T",
        data: ["title": "Quote \" and, comma", "origin": "external", "category": "climate-change", "description": "line1\nline2",
               "effectOnAims": "=HYPERLINK(\"x\")", "relevant": false, "rationale": "r"],
        createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 86_400), createdBy: "a", updatedBy: "user:b@x")

    @Test("CSV follows RFC 4180 and defuses spreadsheet formulas")
    func csv() {
        let csv = RegisterExport.csv([record], spec: ContextIssue.spec)
        let lines = csv.components(separatedBy: "\r\n")
        #expect(lines[0] == "id,title,origin,category,description,effectOnAims,relevant,rationale,owner,reviewDate,version,updatedAt,updatedBy")
        #expect(csv.contains("\"Quote \"\" and, comma\""))
        #expect(csv.contains("\"line1\nline2\""))
        #expect(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""))
        #expect(csv.contains(",External,Climate change,"))
        #expect(csv.hasSuffix(",3,1970-01-02T00:00:00Z,user:b@x\r\n"))
    }

    @Test("JSON and Markdown")
    func jsonAndMarkdown() throws {
        let json = try RegisterExport.json([record], spec: ContextIssue.spec)
        let decoded = try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
        #expect(decoded["register"] == "context-issue")
        #expect(decoded["items"]?.arrayItems?.first?["version"] == .number(3))
        let md = RegisterExport.markdown([record], spec: ContextIssue.spec)
        #expect(md.contains("| Title | Internal or external | Category | Relevant to the AIMS | Owner | Next review |"))
        #expect(md.contains("| Quote \" and, comma | External | Climate change | no |  |  |"))
        #expect(md.contains("1 row."))
    }
}
